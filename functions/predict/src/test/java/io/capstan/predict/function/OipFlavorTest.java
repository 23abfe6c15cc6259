package io.capstan.predict.function;

import static io.capstan.predict.testutils.JsonAssertions.assertCloseTo;
import static io.capstan.predict.testutils.JsonAssertions.fieldNames;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.OnnxFixture;
import io.capstan.predict.testutils.Requests;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol for models of MLflow flavors: the graph's outputs by name (ZipMap as an FP32 matrix in
 * the card's label order), named input tensors, and model metadata listing the graph.
 */
class OipFlavorTest {
    @AutoClose
    private static final ConvertedModelsFixture fixture = new ConvertedModelsFixture();

    @Test
    void infer_zipmapClassifier_answersInt64LabelsAndAProbabilityMatrixWithItsLabels() {
        OnnxFixture iris = fixture.iris;

        JsonNode outputs = infer(ConvertedModelsFixture.IRIS, request(tensor("float_input", "FP32", iris.rows())));

        int rows = iris.rows().size();
        JsonNode expected = iris.expected().get("expected");
        assertThat(names(outputs)).containsExactly("output_label", "output_probability");
        JsonNode labels = outputs.get(0);
        assertThat(labels.get("datatype").asText()).isEqualTo("INT64");
        assertThat(labels.get("shape")).isEqualTo(JSON.createArrayNode().add(rows));
        assertThat(labels.get("data")).isEqualTo(expected.get("output_label"));
        JsonNode probabilities = outputs.get(1);
        assertThat(probabilities.get("datatype").asText()).isEqualTo("FP32");
        assertThat(probabilities.get("shape")).isEqualTo(JSON.createArrayNode().add(rows).add(3));
        assertThat(probabilities.at("/parameters/labels")).isEqualTo(JSON.createArrayNode().add("0").add("1").add("2"));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                assertThat(probabilities.get("data").get(r * 3 + c).asDouble()).as("row %d class %d", r, c)
                        .isCloseTo(expected.get("output_probability").get(r).get(String.valueOf(c)).asDouble(),
                                within(iris.tolerance()));
            }
        }
    }

    @Test
    void infer_stringLabels_answersBytesLabels() {
        OnnxFixture irisStrings = fixture.irisStrings;

        for (String model : List.of(ConvertedModelsFixture.IRIS_STRINGS,
                ConvertedModelsFixture.IRIS_STRINGS_TENSORS)) {
            JsonNode outputs = infer(model, request(tensor("float_input", "FP32", irisStrings.rows())));

            assertThat(outputs.get(0).get("datatype").asText()).as(model).isEqualTo("BYTES");
            assertThat(outputs.get(0).get("data")).isEqualTo(irisStrings.expected().at("/expected/output_label"));
            assertThat(outputs.get(1).get("shape")).isEqualTo(JSON.createArrayNode().add(irisStrings.rows().size())
                    .add(3));
        }
    }

    @Test
    void infer_treeEnsembleAndRegressor_answerTheirOutputsWithinTolerance() {
        OnnxFixture trees = fixture.trees;
        OnnxFixture wine = fixture.wine;

        JsonNode treeOutputs = infer(ConvertedModelsFixture.TREES, request(tensor("input", "FP64", trees.rows())));
        JsonNode wineOutputs = infer(ConvertedModelsFixture.WINE, request(tensor("float_input", "FP32",
                wine.rows())));

        assertThat(names(treeOutputs)).containsExactly("label", "probabilities");
        assertThat(treeOutputs.get(0).get("data")).isEqualTo(trees.expected().at("/expected/label"));
        assertCloseTo(treeOutputs.get(1).get("data"), flat(trees.expected().at("/expected/probabilities")),
                trees.tolerance());
        assertThat(names(wineOutputs)).containsExactly("variable");
        assertThat(wineOutputs.get(0).get("shape")).isEqualTo(JSON.createArrayNode().add(wine.rows().size()).add(1));
        assertCloseTo(wineOutputs.get(0).get("data"), flat(wine.expected().at("/expected/variable")),
                wine.tolerance());
    }

    @Test
    void infer_twoNamedInputs_answersBothOutputsAsTorchDoes() {
        OnnxFixture torch = fixture.torchTwo;
        JsonNode inputs = torch.expected().at("/invocations_request/inputs");

        JsonNode outputs = infer(ConvertedModelsFixture.TORCH_TWO, request(tensor("extra", "FP32",
                inputs.get("extra")), tensor("numeric", "FP32", inputs.get("numeric"))));

        assertThat(names(outputs)).containsExactly("logits", "embedding");
        assertThat(outputs.get(0).get("shape")).isEqualTo(JSON.createArrayNode().add(10).add(3));
        assertCloseTo(outputs.get(0).get("data"), flat(torch.expected().at("/expected/logits")), 1e-5);
        assertCloseTo(outputs.get(1).get("data"), flat(torch.expected().at("/expected/embedding")), 1e-5);
    }

    @Test
    void infer_loneTensorOfAnyName_feedsTheImageModelsOnlyInput() {
        OnnxFixture image = fixture.torchImage;

        JsonNode outputs = infer(ConvertedModelsFixture.TORCH_IMAGE_BARE, request(tensor("pixels", "FP32",
                image.expected().at("/invocations_request/inputs"))));

        assertThat(names(outputs)).containsExactly("scores");
        assertCloseTo(outputs.get(0).get("data"), flat(image.expected().at("/expected/scores")), 1e-5);
    }

    @Test
    void infer_oneTensorPerColumnWithStrings_answersAsSklearnDoes() {
        OnnxFixture mixed = fixture.mixed;
        List<ObjectNode> tensors = new ArrayList<>();
        List<String> columns = mixed.columns();
        for (int c = 0; c < columns.size(); c++) {
            ArrayNode column = JSON.createArrayNode();
            for (JsonNode row : mixed.rows()) {
                column.addArray().add(row.get(c));
            }
            tensors.add(tensor(columns.get(c), columns.get(c).equals("color") ? "BYTES" : "FP32", column));
        }

        JsonNode outputs = infer(ConvertedModelsFixture.MIXED, request(tensors.toArray(ObjectNode[]::new)));

        JsonNode expected = mixed.expected().get("expected");
        assertThat(outputs.get(0).get("data")).isEqualTo(expected.get("output_label"));
        assertThat(outputs.get(1).at("/parameters/labels")).isEqualTo(JSON.createArrayNode().add("0").add("1"));
        for (int r = 0; r < mixed.rows().size(); r++) {
            assertThat(outputs.get(1).get("data").get(r * 2 + 1).asDouble()).as("row %d", r)
                    .isCloseTo(expected.get("output_probability").get(r).get("1").asDouble(),
                            within(mixed.tolerance()));
        }
    }

    @Test
    void infer_requestedOutput_answersOnlyIt() {
        ObjectNode body = request(tensor("float_input", "FP32", fixture.iris.rows()));
        body.putArray("outputs").addObject().put("name", "output_label");
        body.put("id", "r-1");

        HttpResponse response = fixture.call(post("/v2/models/" + ConvertedModelsFixture.IRIS + "/infer",
                Requests.text(body)));

        assertThat(names(json(response).get("outputs"))).containsExactly("output_label");
        assertThat(json(response).get("id").asText()).isEqualTo("r-1");
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    @Test
    void modelMetadata_mlflowFlavors_listTheGraphsInputsAndOutputs() {
        JsonNode iris = json(fixture.call(Requests.get("/v2/models/" + ConvertedModelsFixture.IRIS)));
        JsonNode torch = json(fixture.call(Requests.get("/v2/models/" + ConvertedModelsFixture.TORCH_TWO)));

        assertThat(Requests.text(iris.get("inputs"))).isEqualTo(
                "[{\"name\":\"float_input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
        assertThat(Requests.text(iris.get("outputs"))).isEqualTo("[{\"name\":\"output_label\",\"datatype\":\"INT64\","
                + "\"shape\":[-1]},{\"name\":\"output_probability\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
        assertThat(iris.at("/parameters/feature_columns")).hasSize(4);
        assertThat(iris.at("/parameters/flavor").asText()).isEqualTo("mlflow_onnx");
        assertThat(names(torch.get("inputs"))).containsExactly("numeric", "extra");
        assertThat(names(torch.get("outputs"))).containsExactly("logits", "embedding");
        assertThat(torch.at("/outputs/1/shape")).isEqualTo(JSON.createArrayNode().add(-1).add(8));
    }

    @Test
    void modelReady_tensorPathModel_loadsIt() {
        HttpResponse response = fixture.call(Requests.get("/v2/models/" + ConvertedModelsFixture.MIXED + "/ready"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("ready").asBoolean()).isTrue();
    }

    static ObjectNode tensor(String name, String datatype, JsonNode data) {
        ObjectNode tensor = JSON.createObjectNode();
        tensor.put("name", name);
        ArrayNode shape = tensor.putArray("shape");
        JsonNode level = data;
        while (level.isArray()) {
            shape.add(level.size());
            level = level.get(0);
        }
        tensor.put("datatype", datatype);
        tensor.set("data", data);
        return tensor;
    }

    static ObjectNode request(ObjectNode... tensors) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        for (ObjectNode tensor : tensors) {
            inputs.add(tensor);
        }
        return body;
    }

    private static JsonNode infer(String model, JsonNode body) {
        HttpResponse response = fixture.call(post("/v2/models/" + model + "/infer", Requests.text(body)));
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(fieldNames(json(response))).startsWith("model_name", "model_version");
        return json(response).get("outputs");
    }

    private static List<String> names(JsonNode outputs) {
        List<String> names = new ArrayList<>();
        outputs.forEach(o -> names.add(o.get("name").asText()));
        return names;
    }

    /** Nested lists flattened row-major, as OIP data. */
    static ArrayNode flat(JsonNode nested) {
        ArrayNode flat = JSON.createArrayNode();
        if (nested.isArray()) {
            nested.forEach(element -> {
                if (element.isArray()) {
                    flat.addAll(flat(element));
                } else {
                    flat.add(element);
                }
            });
        }
        return flat;
    }
}
