package io.capstan.modelformat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.capstan.model.InvalidModelFormatException;
import io.capstan.model.ModelSignature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An MLflow model folder's {@code MLmodel} file: the flavors it can be loaded as, the signature and the input example.
 * Fields Capstan does not use are ignored, so files written by any MLflow release read.
 *
 * @param flavors         the flavor names in file order ({@code python_function}, {@code onnx}, {@code sklearn}, …)
 * @param onnxDataFile    the {@code onnx} flavor's model file relative to the folder ({@code model.onnx}); null when
 *                        the model has no {@code onnx} flavor
 * @param pyfuncLoader    the {@code python_function} flavor's {@code loader_module} ({@code mlflow.sklearn}); null
 *                        when there is none
 * @param signature       the signature; null when the model was logged without one
 * @param inputExample    the saved input example's file name ({@code input_example.json}); null when none
 * @param runId           the run that logged it; null when the file names none
 * @param modelId         the MLflow 3 logged model; null before MLflow 3
 * @param mlflowVersion   the MLflow release that wrote it; null when the file names none
 */
public record MlModel(List<String> flavors, String onnxDataFile, String pyfuncLoader, ModelSignature signature,
                      String inputExample, String runId, String modelId, String mlflowVersion) {
    public static final String FILE_NAME = "MLmodel";
    private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

    public MlModel {
        flavors = List.copyOf(flavors);
    }

    public boolean hasFlavor(String flavor) {
        return flavors.contains(flavor);
    }

    public Optional<ModelSignature> modelSignature() {
        return Optional.ofNullable(signature);
    }

    /**
     * Reads an {@code MLmodel} file.
     *
     * @throws InvalidModelFormatException when it is not YAML, has no {@code flavors} mapping, or its signature is
     *                                     not as MLflow writes one
     */
    public static MlModel parse(byte[] yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new InvalidModelFormatException("MLmodel is not valid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject() || !root.path("flavors").isObject()) {
            throw new InvalidModelFormatException("MLmodel has no 'flavors' mapping; it is not an MLflow model"
                    + " file.");
        }
        List<String> flavors = new ArrayList<>();
        root.get("flavors").fieldNames().forEachRemaining(flavors::add);
        JsonNode onnx = root.get("flavors").path("onnx");
        String onnxData = null;
        if (onnx.isObject()) {
            onnxData = onnx.hasNonNull("data") ? onnx.get("data").asText() : "model.onnx";
            if (!isRelativeFileName(onnxData)) {
                throw new InvalidModelFormatException("MLmodel's onnx flavor names data file '" + onnxData + "'; it"
                        + " must be a path inside the model folder.");
            }
        }
        JsonNode pyfunc = root.get("flavors").path("python_function");
        JsonNode sig = root.path("signature");
        ModelSignature signature = sig.isObject() ? ModelSignature.parse(text(sig, "inputs"), text(sig, "outputs"),
                text(sig, "params")) : null;
        JsonNode example = root.path("saved_input_example_info");
        return new MlModel(flavors, onnxData, text(pyfunc, "loader_module"), signature,
                text(example, "artifact_path"), text(root, "run_id"), text(root, "model_id"),
                text(root, "mlflow_version"));
    }

    private static boolean isRelativeFileName(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
