package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads an Open Inference Protocol v2 infer request into a feature matrix. The inputs are either one tensor named as
 * the card's input tensor, of shape {@code [N, F]}, or one tensor per feature column, named by column, of shape
 * {@code [N]} or {@code [N, 1]}. Tensor data may be flat or nested (row-major either way); any numeric datatype is
 * coerced to the card's input type, and BYTES elements must hold decimal numbers. A tensor may come as binary data
 * ({@link BinaryTensors}): one of the card's input type, shape {@code [N, F]}, is copied into the matrix in bulk.
 * An id column, when the caller names one, is one more tensor of that name, shape {@code [N]} or {@code [N, 1]}, of
 * BYTES (strings) or integers, holding the rows' prediction ids; it is not a feature.
 */
public final class OipInferReader {
    private final FeatureMatrices matrices;
    private final JsonFactory json;

    public OipInferReader(FeatureMatrices matrices) {
        this(matrices, PredictJson.SCANNING_FACTORY);
    }

    /** With {@code json} for the body: a plain factory reads every value token by token (the tests' reference). */
    OipInferReader(FeatureMatrices matrices, JsonFactory json) {
        this.matrices = matrices;
        this.json = json;
    }

    /**
     * The request in {@code body}: its JSON, and the tensors' binary data after it.
     *
     * @param inputTensor the card's input tensor name, which a single {@code [N, F]} tensor carries
     * @param idColumn    the name of the tensor of the rows' prediction ids; null when the request has none
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming the tensor, column and row;
     *                                           {@code MALFORMED_REQUEST} when the body is not JSON
     */
    public OipInferRequest read(BinaryTensors body, FeatureColumns columns, String inputTensor, String idColumn) {
        if (idColumn != null && (idColumn.equals(inputTensor) || columns.indexOf(idColumn) >= 0)) {
            throw InputErrors.invalid("The id column '" + InputErrors.shown(idColumn) + "' is one of the model's"
                    + " inputs; name a tensor that holds the rows' prediction ids only.");
        }
        TensorAssembly assembly = new TensorAssembly(matrices, columns, inputTensor, idColumn, body);
        try (JsonParser p = json.createParser(body.body(), 0, body.jsonLength())) {
            OipRequestFields fields = OipRequestFields.read(p, assembly::readTensor);
            body.finish();
            if (!fields.hasInputs()) {
                throw InputErrors.invalid("The infer request has no 'inputs'; send one tensor '" + inputTensor
                        + "' of shape [N, " + columns.width() + "] or one tensor per feature column.");
            }
            FeatureMatrix features = assembly.finish();
            return new OipInferRequest(fields.id(), features, fields.outputs(), assembly.ids(),
                    fields.binaryOutputs());
        } catch (JsonProcessingException e) {
            throw PredictJson.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body", e);
        } finally {
            assembly.close();
        }
    }
}
