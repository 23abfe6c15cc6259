package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Open Inference Protocol v2 infer request into a feature matrix. The inputs are either one tensor named as
 * the card's input tensor, of shape {@code [N, F]}, or one tensor per feature column, named by column, of shape
 * {@code [N]} or {@code [N, 1]}. Tensor data may be flat or nested (row-major either way); any numeric datatype is
 * coerced to the card's input type, and BYTES elements must hold decimal numbers. The binary data extension is refused.
 */
public final class OipInferReader {
    private final FeatureMatrices matrices;

    public OipInferReader(FeatureMatrices matrices) {
        this.matrices = matrices;
    }

    /**
     * The request in {@code body}.
     *
     * @param inputTensor the card's input tensor name, which a single {@code [N, F]} tensor carries
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming the tensor, column and row;
     *                                           {@code MALFORMED_REQUEST} when the body is not JSON
     */
    public OipInferRequest read(byte[] body, FeatureColumns columns, String inputTensor) {
        TensorAssembly assembly = new TensorAssembly(matrices, columns, inputTensor, body);
        try (JsonParser p = PredictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw InputErrors.invalid("The infer request must be a JSON object with 'inputs'.");
            }
            String id = null;
            List<String> outputs = List.of();
            boolean sawInputs = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id" -> id = readId(p);
                    case "inputs" -> {
                        readInputs(p, assembly);
                        sawInputs = true;
                    }
                    case "outputs" -> outputs = readOutputs(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw InputErrors.invalid("The request body has content after its JSON object.");
            }
            if (!sawInputs) {
                throw InputErrors.invalid("The infer request has no 'inputs'; send one tensor '" + inputTensor
                        + "' of shape [N, " + columns.width() + "] or one tensor per feature column.");
            }
            return new OipInferRequest(id, assembly.finish(), outputs);
        } catch (JsonProcessingException e) {
            throw InputErrors.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body", e);
        } finally {
            assembly.close();
        }
    }

    private static String readId(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw InputErrors.invalid("'id' must be a string, got " + RowReader.describe(p.currentToken()) + ".");
        }
        return p.getText();
    }

    private static void readInputs(JsonParser p, TensorAssembly assembly) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw InputErrors.invalid("'inputs' must be a list of tensors, got " + RowReader.describe(p.currentToken())
                    + ".");
        }
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw InputErrors.invalid("inputs[" + index + "] must be a tensor object with name, shape, datatype"
                        + " and data.");
            }
            assembly.readTensor(p, index++);
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
