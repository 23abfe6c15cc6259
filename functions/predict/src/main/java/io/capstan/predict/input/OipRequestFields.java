package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an Open Inference Protocol v2 infer request holds besides its tensors' data, read the same way on both paths
 * (the tabular {@link OipInferReader} and the tensor path): the request object with its {@code id}, {@code inputs} and
 * {@code outputs}, and each tensor's string fields, {@code shape} and {@code parameters}. Each refusal is
 * {@code INVALID_PARAMETER_VALUE} naming the field.
 *
 * @param id            the request's {@code id}; null when it has none
 * @param outputs       the names under {@code outputs}; empty when the request names none
 * @param hasInputs     whether the request has an {@code inputs} field
 * @param binaryOutputs which outputs the response carries as binary data (the binary data extension)
 */
public record OipRequestFields(String id, List<String> outputs, boolean hasInputs, BinaryOutputs binaryOutputs) {
    public OipRequestFields {
        outputs = List.copyOf(outputs);
    }

    /**
     * The outputs asked for as binary data: an output whose entry under {@code outputs} sets {@code binary_data}
     * decides for itself; the others follow the request's {@code parameters.binary_data_output} (default false).
     *
     * @param all   the request's {@code binary_data_output}
     * @param names the outputs that set {@code binary_data}, with its value
     */
    public record BinaryOutputs(boolean all, Map<String, Boolean> names) {
        public BinaryOutputs {
            names = Map.copyOf(names);
        }

        public boolean asks(String output) {
            return names.getOrDefault(output, all);
        }
    }

    /** Reads one tensor object of {@code inputs}, the parser on its START_OBJECT, {@code index} its position. */
    @FunctionalInterface
    public interface TensorReader {
        void read(JsonParser p, int index) throws IOException;
    }

    /**
     * Reads the request object, from the body's first token to the end of the body, handing each tensor object of
     * {@code inputs} to {@code tensors}; fields the protocol does not name are skipped.
     */
    public static OipRequestFields read(JsonParser p, TensorReader tensors) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw InputErrors.invalid("The infer request must be a JSON object with 'inputs'.");
        }
        String id = null;
        List<String> outputs = List.of();
        Map<String, Boolean> binary = new HashMap<>(0);
        boolean allBinary = false;
        boolean hasInputs = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = text(p, "'id'");
                case "inputs" -> {
                    readInputs(p, tensors);
                    hasInputs = true;
                }
                case "outputs" -> outputs = readOutputs(p, binary);
                case "parameters" -> allBinary = Boolean.TRUE.equals(flag(p, "binary_data_output",
                        "The request's parameters"));
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw InputErrors.invalid("The request body has content after its JSON object.");
        }
        return new OipRequestFields(id, outputs, hasInputs, new BinaryOutputs(allBinary, binary));
    }

    /** What the {@code parameters} object at the parser sets {@code name} to; null when it does not set it. */
    private static Boolean flag(JsonParser p, String name, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Boolean set = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(name)) {
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    throw InputErrors.invalid(where + ": " + name + " must be true or false.");
                }
                set = value == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return set;
    }

    /** The string at the current token; {@code field} names it in the message. */
    public static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw InputErrors.invalid(field + " must be a string, got " + PredictJson.describe(p.currentToken()) + ".");
        }
        return p.getText();
    }

    /** A tensor's {@code shape}: at most {@code maxRank} non-negative integers; {@code tensor} names it. */
    public static long[] readShape(JsonParser p, String tensor, int maxRank) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw InputErrors.invalid("The shape of " + tensor + " must be a list of dimensions.");
        }
        long[] dims = new long[maxRank];
        int rank = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || rank == dims.length) {
                throw InputErrors.invalid("The shape of " + tensor + " must hold at most " + dims.length
                        + " non-negative integers.");
            }
            dims[rank++] = p.getLongValue();
        }
        return Arrays.copyOf(dims, rank);
    }

    /**
     * A tensor's {@code parameters}: its {@code binary_data_size} (the binary data extension), the others skipped.
     *
     * @return the binary data's size in bytes; -1 when the tensor's data is JSON
     */
    public static long readParameters(JsonParser p, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return -1;
        }
        long size = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("binary_data_size")) {
                if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                    throw InputErrors.invalid("inputs[" + index + "].parameters.binary_data_size must be a"
                            + " non-negative integer.");
                }
                size = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return size;
    }

    private static void readInputs(JsonParser p, TensorReader tensors) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw InputErrors.invalid("'inputs' must be a list of tensors, got "
                    + PredictJson.describe(p.currentToken()) + ".");
        }
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw InputErrors.invalid("inputs[" + index + "] must be a tensor object with name, shape, datatype"
                        + " and data.");
            }
            tensors.read(p, index++);
        }
        if (index == 0) {
            throw InputErrors.invalid("'inputs' is empty; send at least one tensor.");
        }
    }

    private static List<String> readOutputs(JsonParser p, Map<String, Boolean> binary) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw InputErrors.invalid("'outputs' must be a list of {\"name\": ...} objects.");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String name = null;
            Boolean asBinary = null;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("name") && p.currentToken() == JsonToken.VALUE_STRING) {
                        name = p.getText();
                    } else if (field.equals("parameters")) {
                        asBinary = flag(p, "binary_data", "outputs[" + names.size() + "]");
                    } else {
                        p.skipChildren();
                    }
                }
            }
            if (name == null) {
                throw InputErrors.invalid("outputs[" + names.size() + "] must be an object with a string 'name'.");
            }
            if (asBinary != null) {
                binary.put(name, asBinary);
            }
            names.add(name);
        }
        return names;
    }
}
