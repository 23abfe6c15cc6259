package io.capstan.predict.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.capstan.model.GraphValue;
import io.capstan.model.ModelCard;
import io.capstan.model.ModelSignature;
import io.capstan.model.OnnxGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ONNX models that real converters write (skl2onnx, onnxmltools, torch.onnx), as MLflow model folders with their
 * reference answers, read in place from the model-format module's test resources: {@value #LOCATION}, relative to this
 * module's folder, where Surefire runs the tests. Each fixture's {@code expected.json} (rows, the answers sklearn or
 * torch gave, the tolerance, MLflow's own answers) and {@code INDEX.json} are written by model-format's generator; the
 * signature is read from the fixture's {@code MLmodel}; the graph is the one {@code expected.json} describes. The cards
 * below are what the registry derives for the tabular fixtures, written by hand.
 */
public final class OnnxFixtures {
    /** Where the fixtures are, relative to this module's folder. */
    public static final String LOCATION = "../model-format/src/test/resources/onnx-models";
    private static final Path ROOT = Path.of(LOCATION);
    private static final Pattern SEQUENCE_OF_MAPS = Pattern.compile("seq\\(map\\((\\w+),\\s*tensor\\((\\w+)\\)\\)\\)");
    private static final Pattern TENSOR = Pattern.compile("tensor\\((\\w+)\\)");

    private OnnxFixtures() {
    }

    public static OnnxFixture load(String name) {
        Path folder = ROOT.resolve(name);
        try {
            JsonNode expected = Requests.JSON.readTree(folder.resolve("expected.json").toFile());
            byte[] onnx = Files.readAllBytes(folder.resolve("model").resolve("model.onnx"));
            JsonNode mlmodel = new YAMLMapper().readTree(folder.resolve("model").resolve("MLmodel").toFile());
            JsonNode signature = mlmodel.path("signature");
            ModelSignature parsed = signature.isObject() ? ModelSignature.parse(text(signature, "inputs"),
                    text(signature, "outputs"), text(signature, "params")) : null;
            OnnxGraph graph = new OnnxGraph(values(expected.path("inputs")), values(expected.path("outputs")),
                    Map.of(), "", onnx.length);
            return new OnnxFixture(name, onnx, expected, parsed, graph);
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " under " + ROOT.toAbsolutePath() + " cannot be read",
                    e);
        }
    }

    /** skl2onnx's iris classifier: ZipMap probabilities keyed 0, 1, 2 and an int64 label output. */
    public static ModelCard irisZipmapCard() {
        return new ModelCard(2, ModelCard.Task.CLASSIFICATION, "float_input", ModelCard.TensorType.FLOAT,
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), "output_probability",
                List.of("0", "1", "2"), null, "output_label", ModelCard.ProbabilityLayout.ZIPMAP);
    }

    /** skl2onnx's iris classifier on string labels: a probability matrix and a string label output. */
    public static ModelCard irisStringsCard() {
        return new ModelCard(2, ModelCard.Task.CLASSIFICATION, "float_input", ModelCard.TensorType.FLOAT,
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), "output_probability",
                List.of("setosa", "versicolor", "virginica"), null, "output_label",
                ModelCard.ProbabilityLayout.MATRIX);
    }

    /** skl2onnx's wine regressor (alcohol from 12 columns): {@code variable} [N, 1], the output naming the target. */
    public static ModelCard wineCard(List<String> columns) {
        return new ModelCard(2, ModelCard.Task.REGRESSION, "float_input", ModelCard.TensorType.FLOAT, columns,
                "variable", List.of("variable"), null, null, ModelCard.ProbabilityLayout.MATRIX);
    }

    /** The onnxmltools-style tree ensemble on breast cancer: {@code label} int64 and {@code probabilities} [N, 2]. */
    public static ModelCard xgboostCard(List<String> columns) {
        return new ModelCard(2, ModelCard.Task.CLASSIFICATION, "input", ModelCard.TensorType.FLOAT, columns,
                "probabilities", List.of("0", "1"), null, "label", ModelCard.ProbabilityLayout.MATRIX);
    }

    private static List<GraphValue> values(JsonNode list) {
        List<GraphValue> values = new ArrayList<>();
        for (JsonNode node : list) {
            String type = node.path("type").asText();
            Matcher maps = SEQUENCE_OF_MAPS.matcher(type);
            if (maps.matches()) {
                values.add(new GraphValue(node.path("name").asText(), GraphValue.Kind.SEQUENCE_OF_MAPS, maps.group(2),
                        List.of(), maps.group(1)));
                continue;
            }
            Matcher tensor = TENSOR.matcher(type);
            if (!tensor.matches()) {
                throw new IllegalStateException("fixture value of type " + type);
            }
            List<Long> shape = new ArrayList<>();
            node.path("shape").forEach(d -> shape.add(d.isIntegralNumber() ? d.asLong() : -1L));
            values.add(GraphValue.tensor(node.path("name").asText(), tensor.group(1), shape));
        }
        return values;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
