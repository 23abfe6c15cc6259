package io.capstan.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a served model expects and answers, stored beside the ONNX file as {@code model-card.json}. The registry
 * checks a model against its card before a version becomes {@code READY}; the predict function matches request
 * columns to {@link #features()} by name and orders them as the card does.
 *
 * <p>The model takes one two-dimensional input tensor {@link #inputTensor()} of shape {@code [rows, features]},
 * the columns in {@link #features()} order, all of {@link #inputType()}; any scaling happens inside the graph.
 * A classifier's {@link #outputTensor()} has shape {@code [rows, labels]}: one probability per label, in
 * {@link #outputLabels()} order. A regressor's has shape {@code [rows, 1]} and one output label, the target.
 *
 * @param formatVersion {@link #FORMAT_VERSION} for cards written by this release
 * @param task          classification or regression
 * @param inputTensor   the ONNX graph's input name
 * @param inputType     element type of the input tensor
 * @param features      the input columns, in tensor order; names unique
 * @param outputTensor  the ONNX graph's output holding probabilities (classification) or the prediction
 * @param outputLabels  class labels in output column order, or the single target name for regression
 * @param labelColumn   the training data's label column, for validating new datasets; may be null
 * @param labelOutput   a classifier's output holding the predicted label per row ({@code output_label} as skl2onnx
 *                      writes it: int64 or string, shape {@code [rows]}); null when the label is the most probable
 *                      column of {@link #outputTensor()}, as for Capstan's trainer
 * @param probabilities how a classifier's {@link #outputTensor()} holds its probabilities
 */
public record ModelCard(int formatVersion, Task task, String inputTensor, TensorType inputType,
                        List<String> features, String outputTensor, List<String> outputLabels,
                        String labelColumn, String labelOutput, ProbabilityLayout probabilities) {

    /**
     * The newest card format this release reads and writes; format 2 adds {@code label_output} and
     * {@code probabilities}. A card that needs neither is still written as format 1.
     */
    public static final int FORMAT_VERSION = 2;
    /** The file name a card has beside its model. */
    public static final String FILE_NAME = "model-card.json";

    /** Writes cards; built on first use, so reading one (a cold start's first prediction) never builds it. */
    private static final class Writer {
        static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    public ModelCard {
        Objects.requireNonNull(task, "task");
        requireText(inputTensor, "input_tensor");
        Objects.requireNonNull(inputType, "input_type");
        requireText(outputTensor, "output_tensor");
        probabilities = probabilities == null ? ProbabilityLayout.MATRIX : probabilities;
        if (labelOutput != null && (labelOutput.isBlank() || labelOutput.equals(outputTensor))) {
            throw new InvalidModelCardException("label_output must name an output other than output_tensor");
        }
        if (formatVersion < 2 && (labelOutput != null || probabilities != ProbabilityLayout.MATRIX)) {
            throw new InvalidModelCardException("label_output and probabilities need format_version 2");
        }
        if (task == Task.REGRESSION && (labelOutput != null || probabilities != ProbabilityLayout.MATRIX)) {
            throw new InvalidModelCardException("a regression card has no label_output and no probability layout");
        }
        features = List.copyOf(features);
        outputLabels = List.copyOf(outputLabels);
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            throw new InvalidModelCardException("format_version " + formatVersion + " is not supported; this "
                    + "release reads 1 to " + FORMAT_VERSION);
        }
        if (features.isEmpty()) {
            throw new InvalidModelCardException("features must name at least one input column");
        }
        requireUnique(features, "features");
        if (outputLabels.isEmpty()) {
            throw new InvalidModelCardException("output_labels must name the classes (classification) or the "
                    + "target (regression)");
        }
        requireUnique(outputLabels, "output_labels");
        if (task == Task.REGRESSION && outputLabels.size() != 1) {
            throw new InvalidModelCardException("a regression card has exactly one output label, the target; got "
                    + outputLabels);
        }
    }

    /** A card as release 1 wrote it: the label is the most probable column of a probability matrix. */
    public ModelCard(int formatVersion, Task task, String inputTensor, TensorType inputType, List<String> features,
                     String outputTensor, List<String> outputLabels, String labelColumn) {
        this(formatVersion, task, inputTensor, inputType, features, outputTensor, outputLabels, labelColumn, null,
                ProbabilityLayout.MATRIX);
    }

    /** A classifier over float features, as Capstan's trainer writes one. */
    public static ModelCard classifier(String inputTensor, List<String> features, String outputTensor,
                                       List<String> labels, String labelColumn) {
        return new ModelCard(1, Task.CLASSIFICATION, inputTensor, TensorType.FLOAT, features,
                outputTensor, labels, labelColumn);
    }

    /** The position of a feature in the input tensor, or -1 when the card has no such column. */
    public int featureIndex(String name) {
        return features.indexOf(name);
    }

    /**
     * Reads a card from its JSON form.
     *
     * @throws InvalidModelCardException naming the field when the JSON is malformed or a field is missing or wrong
     */
    public static ModelCard fromJson(byte[] json) {
        JsonNode root;
        try {
            root = JsonTrees.read(json);
        } catch (IOException e) {
            throw new InvalidModelCardException("the model card is not valid JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelCardException("the model card must be a JSON object");
        }
        return fromJson(root);
    }

    /** Reads a card from its JSON form as a tree (a card nested in another document). */
    public static ModelCard fromJson(JsonNode root) {
        return new ModelCard(root.path("format_version").asInt(FORMAT_VERSION),
                Task.parse(text(root, "task")), text(root, "input_tensor"),
                TensorType.parse(root.hasNonNull("input_type") ? text(root, "input_type") : "float"),
                strings(root, "features"), text(root, "output_tensor"), strings(root, "output_labels"),
                root.hasNonNull("label_column") ? root.get("label_column").asText() : null,
                root.hasNonNull("label_output") ? text(root, "label_output") : null,
                root.hasNonNull("probabilities") ? ProbabilityLayout.parse(text(root, "probabilities"))
                        : ProbabilityLayout.MATRIX);
    }

    /** The card as JSON, the form {@link #fromJson} reads. */
    public byte[] toJson() {
        try {
            return Writer.JSON.writeValueAsBytes(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a model card always serializes", e);
        }
    }

    /** The card as a JSON tree. Fields of format 2 are written only when they differ from format 1's meaning. */
    public ObjectNode toJsonTree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format_version", formatVersion);
        root.put("task", task.name().toLowerCase(Locale.ROOT));
        root.put("input_tensor", inputTensor);
        root.put("input_type", inputType.onnxName());
        ArrayNode featureNames = root.putArray("features");
        features.forEach(featureNames::add);
        root.put("output_tensor", outputTensor);
        ArrayNode labels = root.putArray("output_labels");
        outputLabels.forEach(labels::add);
        if (labelColumn != null) {
            root.put("label_column", labelColumn);
        }
        if (labelOutput != null) {
            root.put("label_output", labelOutput);
        }
        if (probabilities != ProbabilityLayout.MATRIX) {
            root.put("probabilities", probabilities.name().toLowerCase(Locale.ROOT));
        }
        return root;
    }

    /** Whether the card describes a model the way release 1 did (a probability matrix, no label output). */
    public boolean isFormat1() {
        return labelOutput == null && probabilities == ProbabilityLayout.MATRIX;
    }

    /** What the model does. */
    public enum Task {
        CLASSIFICATION, REGRESSION;

        static Task parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidModelCardException("task must be 'classification' or 'regression', got '" + text
                        + "'");
            }
        }
    }

    /**
     * How a classifier's output holds its probabilities: a float matrix {@code [rows, labels]} in
     * {@link #outputLabels()} order, or one map of label to probability per row (ONNX's ZipMap, as skl2onnx writes by
     * default: {@code seq(map(int64 | string, float))}).
     */
    public enum ProbabilityLayout {
        MATRIX, ZIPMAP;

        static ProbabilityLayout parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidModelCardException("probabilities must be 'matrix' or 'zipmap', got '" + text + "'");
            }
        }
    }

    /** Element types a card's input tensor may have, by their ONNX names. */
    public enum TensorType {
        FLOAT("float"), DOUBLE("double"), INT64("int64");

        private final String onnxName;

        TensorType(String onnxName) {
            this.onnxName = onnxName;
        }

        /** The name ONNX uses for the element type ({@code tensor(float)} is {@code float}). */
        public String onnxName() {
            return onnxName;
        }

        static TensorType parse(String text) {
            for (TensorType type : values()) {
                if (type.onnxName.equalsIgnoreCase(text)) {
                    return type;
                }
            }
            throw new InvalidModelCardException("input_type must be one of float, double, int64; got '" + text + "'");
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidModelCardException("the model card has no '" + field + "'");
        }
        if (!node.isTextual()) {
            throw new InvalidModelCardException("'" + field + "' must be a string, got " + node.getNodeType());
        }
        return node.asText();
    }

    private static List<String> strings(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isArray()) {
            throw new InvalidModelCardException("'" + field + "' must be an array of strings");
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new InvalidModelCardException("'" + field + "' must hold only strings, got "
                        + element.getNodeType());
            }
            values.add(element.asText());
        }
        return values;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidModelCardException("'" + field + "' must be a non-empty string");
        }
    }

    private static void requireUnique(List<String> names, String field) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isEmpty()) {
                throw new InvalidModelCardException("'" + field + "' holds an empty name");
            }
            if (!seen.add(name)) {
                throw new InvalidModelCardException("'" + field + "' names '" + name + "' twice");
            }
        }
    }
}
