package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an Open Inference Protocol v2 infer request holds besides its tensors' data, read the same way on both paths
 * (the tabular {@link OipInferReader} and the tensor path): the request object with its {@code id}, {@code inputs} and
 * {@code outputs}, and each tensor's string fields, {@code shape} and {@code parameters}. Each refusal is
 * {@code INVALID_PARAMETER_VALUE} naming the field.
 *
 * @param id        the request's {@code id}; null when it has none
 * @param outputs   the names under {@code outputs}; empty when the request names none
 * @param hasInputs whether the request has an {@code inputs} field
 */
public record OipRequestFields(String id, List<String> outputs, boolean hasInputs) {
    public OipRequestFields {
        outputs = List.copyOf(outputs);
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
                case "outputs" -> outputs = readOutputs(p);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw InputErrors.invalid("The request body has content after its JSON object.");
        }
        return new OipRequestFields(id, outputs, hasInputs);
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

    /** A tensor's {@code parameters}, skipped; the binary data extension is refused. */
    public static void readParameters(JsonParser p, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (p.currentName().equals("binary_data_size")) {
                throw InputErrors.invalid("inputs[" + index + "] uses the binary tensor data extension, which Capstan"
                        + " does not support; send the values under 'data' as JSON.");
            }
            p.nextToken();
            p.skipChildren();
        }
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

    private static List<String> readOutputs(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw InputErrors.invalid("'outputs' must be a list of {\"name\": ...} objects.");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String name = null;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("name") && p.currentToken() == JsonToken.VALUE_STRING) {
                        name = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
            if (name == null) {
                throw InputErrors.invalid("outputs[" + names.size() + "] must be an object with a string 'name'.");
            }
            names.add(name);
        }
        return names;
    }
}
