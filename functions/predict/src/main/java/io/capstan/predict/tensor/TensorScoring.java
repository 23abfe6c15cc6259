package io.capstan.predict.tensor;

import io.capstan.model.ModelSignature;
import io.capstan.predict.input.BinaryTensors;
import io.capstan.predict.input.OipRequestFields;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.ModelOutputs;
import java.util.List;
import java.util.Objects;

/**
 * The tensor path: a model without a card (several inputs, typed or per-column inputs, images, models without a
 * signature) served as MLflow's pyfunc server serves an {@code mlflow.onnx} model. The request is read as the scoring
 * server reads it, checked against the signature as {@code _enforce_schema} does, its {@code params} validated, fed to
 * ONNX Runtime as {@code _OnnxModelWrapper.predict} feeds it, and every output answered.
 */
public final class TensorScoring {
    private final MlflowTensorReader mlflowReader;
    private final OipTensorReader oipReader;

    /** @param maxElements the most values one request may carry, over all its inputs */
    public TensorScoring(long maxElements) {
        this.mlflowReader = new MlflowTensorReader(maxElements);
        this.oipReader = new OipTensorReader(maxElements);
    }

    /**
     * Scores an MLflow scoring request.
     *
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming what is wrong with the request,
     *                                           {@code PAYLOAD_TOO_LARGE} beyond the value limit
     */
    public MlflowResult invocations(byte[] body, LoadedModel model) {
        PyfuncRequest request = mlflowReader.read(body);
        ModelSignature signature = model.manifest().signature();
        PyfuncInput input = SignatureEnforcement.enforce(request.input(), signature);
        ParamsValidation.validate(request.params(), signature);
        try (OnnxFeeds feeds = OnnxFeeds.of(input, model.graph(), model.environment())) {
            ModelOutputs outputs = model.run(feeds.tensors());
            return new MlflowResult(outputs, input instanceof PyfuncInput.Frame frame ? frame.rows() : -1);
        }
    }

    /**
     * Runs an Open Inference Protocol infer request.
     *
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming what is wrong with the request,
     *                                           {@code PAYLOAD_TOO_LARGE} beyond the value limit
     */
    public OipResult infer(BinaryTensors body, LoadedModel model) {
        OipTensorRequest request = oipReader.read(body);
        try (OnnxFeeds feeds = OnnxFeeds.of(request.inputs(), model.graph(), model.environment())) {
            return new OipResult(request.id(), model.run(feeds.tensors()), request.requestedOutputs(),
                    request.binaryOutputs());
        }
    }

    /**
     * The outputs of an MLflow scoring request.
     *
     * @param outputs   every graph output, in graph order
     * @param frameRows the rows of the data frame the model was fed, whose answer is one record per row; -1 when it
     *                  was fed tensors, whose answer is an object of output name to array
     */
    public record MlflowResult(ModelOutputs outputs, int frameRows) {
        public MlflowResult {
            Objects.requireNonNull(outputs, "outputs");
        }

        public boolean asRecords() {
            return frameRows >= 0;
        }
    }

    /**
     * The outputs of an infer request.
     *
     * @param id               the request's id; null when it had none
     * @param outputs          every graph output, in graph order
     * @param requestedOutputs the outputs the request asked for; empty means all
     */
    public record OipResult(String id, ModelOutputs outputs, List<String> requestedOutputs,
                            OipRequestFields.BinaryOutputs binaryOutputs) {
        public OipResult {
            Objects.requireNonNull(outputs, "outputs");
            requestedOutputs = List.copyOf(requestedOutputs);
        }
    }
}
