package io.capstan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An MLflow model signature, as {@code MLmodel} records it: three JSON strings, for the inputs, the outputs and the
 * inference parameters. Inputs and outputs are either column specs ({@code {"type": "double", "name": "x",
 * "required": true}}) or tensor specs ({@code {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]},
 * "name": "x"}}); parameters are {@code {"name", "type", "default", "shape"}}. The strings are kept as MLflow wrote
 * them, so a manifest round-trips them unchanged.
 *
 * @param inputsJson  the {@code inputs} string; null when the signature has none
 * @param outputsJson the {@code outputs} string; null when the signature has none
 * @param paramsJson  the {@code params} string; null when the signature has none
 * @param inputs      the parsed inputs
 * @param outputs     the parsed outputs
 * @param params      the parsed parameters
 */
public record ModelSignature(String inputsJson, String outputsJson, String paramsJson, List<Spec> inputs,
                             List<Spec> outputs, List<ParamSpec> params) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        params = List.copyOf(params);
        if (inputs.stream().map(Spec::isTensor).distinct().count() > 1) {
            throw new InvalidModelFormatException("The MLmodel signature mixes column specs and tensor specs in its"
                    + " inputs; MLflow writes one kind or the other.");
        }
    }

    /**
     * Parses the three strings of an {@code MLmodel} signature; each may be null.
     *
     * @throws InvalidModelFormatException naming the part that is not a list of specs as MLflow writes them
     */
    public static ModelSignature parse(String inputsJson, String outputsJson, String paramsJson) {
        return new ModelSignature(inputsJson, outputsJson, paramsJson, specs(inputsJson, "inputs"),
                specs(outputsJson, "outputs"), params(paramsJson));
    }

    /** Whether the inputs are tensor specs (a model fed named arrays) rather than columns of a data frame. */
    public boolean inputsAreTensors() {
        return !inputs.isEmpty() && inputs.get(0).isTensor();
    }

    /** Whether every input is a column with a name. */
    public boolean inputsAreNamedColumns() {
        return !inputs.isEmpty() && inputs.stream().allMatch(s -> !s.isTensor() && s.name() != null);
    }

    public Optional<Spec> input(String name) {
        return inputs.stream().filter(s -> name.equals(s.name())).findFirst();
    }

    /**
     * One input or output.
     *
     * @param name     the column or tensor name; null when the signature leaves it unnamed
     * @param type     MLflow's column type ({@code double}, {@code long}, {@code string}, …) or {@code tensor}
     * @param dtype    a tensor's numpy dtype ({@code float32}, {@code int64}, …); null for a column
     * @param shape    a tensor's shape, -1 for an open dimension; empty for a column
     * @param required whether a column must be present (MLflow 2.x's {@code required}, true when absent)
     */
    public record Spec(String name, String type, String dtype, List<Long> shape, boolean required) {
        public Spec {
            Objects.requireNonNull(type, "type");
            shape = List.copyOf(shape);
        }

        public boolean isTensor() {
            return type.equals("tensor");
        }
    }

    /**
     * An inference parameter the model accepts.
     *
     * @param name        the parameter's name
     * @param type        MLflow's type ({@code string}, {@code float}, {@code double}, {@code integer}, {@code long},
     *                    {@code boolean}, {@code datetime}, …)
     * @param defaultJson the default value as JSON text
     * @param shape       null for a scalar, {@code [-1]} for a list
     */
    public record ParamSpec(String name, String type, String defaultJson, List<Long> shape) {
        public ParamSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            shape = shape == null ? null : List.copyOf(shape);
        }
    }

    private static List<Spec> specs(String json, String part) {
        JsonNode root = tree(json, part);
        List<Spec> specs = new ArrayList<>();
        if (root == null) {
            return specs;
        }
        for (JsonNode node : root) {
            if (!node.isObject() || !node.path("type").isTextual()) {
                throw new InvalidModelFormatException("The MLmodel signature's " + part + " must be a list of objects"
                        + " with a 'type'; got " + abbreviate(node.toString()) + ".");
            }
            String name = node.hasNonNull("name") ? node.get("name").asText() : null;
            String type = node.get("type").asText();
            if (type.equals("tensor")) {
                JsonNode spec = node.path("tensor-spec");
                if (!spec.path("dtype").isTextual() || !spec.path("shape").isArray()) {
                    throw new InvalidModelFormatException("The MLmodel signature's " + part + " has a tensor spec"
                            + (name == null ? "" : " '" + name + "'") + " without 'tensor-spec.dtype' and"
                            + " 'tensor-spec.shape'.");
                }
                specs.add(new Spec(name, type, spec.get("dtype").asText(), dims(spec.get("shape"), part), true));
            } else {
                specs.add(new Spec(name, type, null, List.of(), node.path("required").asBoolean(true)));
            }
        }
        return specs;
    }

    private static List<ParamSpec> params(String json) {
        JsonNode root = tree(json, "params");
        List<ParamSpec> params = new ArrayList<>();
        if (root == null) {
            return params;
        }
        for (JsonNode node : root) {
            if (!node.path("name").isTextual() || !node.path("type").isTextual()) {
                throw new InvalidModelFormatException("The MLmodel signature's params must be objects with 'name'"
                        + " and 'type'; got " + abbreviate(node.toString()) + ".");
            }
            params.add(new ParamSpec(node.get("name").asText(), node.get("type").asText(),
                    node.has("default") ? node.get("default").toString() : "null",
                    node.hasNonNull("shape") ? dims(node.get("shape"), "params") : null));
        }
        return params;
    }

    private static List<Long> dims(JsonNode shape, String part) {
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : shape) {
            if (!d.isIntegralNumber()) {
                throw new InvalidModelFormatException("The MLmodel signature's " + part + " has a shape with "
                        + d + "; dimensions are integers, -1 for any size.");
            }
            dims.add(d.asLong());
        }
        return dims;
    }

    private static JsonNode tree(String json, String part) {
        if (json == null || json.isBlank() || json.equals("null")) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidModelFormatException("The MLmodel signature's " + part + " is not valid JSON: "
                    + abbreviate(json) + ".");
        }
        if (root == null || root.isNull()) {
            return null;
        }
        if (!root.isArray()) {
            throw new InvalidModelFormatException("The MLmodel signature's " + part + " must be a JSON list; got "
                    + abbreviate(json) + ".");
        }
        return root;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
