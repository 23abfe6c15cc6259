package io.capstan.registry.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.capstan.model.ModelCard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Loads an ONNX model in ONNX Runtime — the runtime that will serve it — and checks that it agrees with its model
 * card: one input tensor of the card's name, element type and feature count, an output of the card's name with one
 * column per label, and a successful run on one row. Every disagreement is reported in words a person can act on.
 */
public final class OnnxModelCheck {

    private final OrtEnvironment environment;

    public OnnxModelCheck(OrtEnvironment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** The ONNX Runtime version models are checked (and served) with. */
    public String runtimeVersion() {
        return environment.getVersion();
    }

    /** Checks {@code onnx} against {@code card}. Never throws for a bad model: that is an {@link Invalid} result. */
    public Result check(byte[] onnx, ModelCard card) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            OrtSession session;
            try {
                session = environment.createSession(onnx, options);
            } catch (OrtException e) {
                return new Invalid("model.onnx is not a model ONNX Runtime " + runtimeVersion() + " can load: "
                        + e.getMessage());
            }
            try (session) {
                return check(session, card);
            }
        } catch (OrtException e) {
            return new Invalid("ONNX Runtime failed while checking the model: " + e.getMessage());
        }
    }

    private Result check(OrtSession session, ModelCard card) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (!inputs.containsKey(card.inputTensor())) {
            return new Invalid("the model card names input tensor '" + card.inputTensor() + "', but the model's inputs"
                    + " are " + inputs.keySet());
        }
        if (inputs.size() != 1) {
            return new Invalid("the model has " + inputs.size() + " inputs " + inputs.keySet() + "; Capstan serves"
                    + " models with one input tensor holding every feature");
        }
        if (!(inputs.get(card.inputTensor()).getInfo() instanceof TensorInfo input)) {
            return new Invalid("input '" + card.inputTensor() + "' is not a tensor");
        }
        OnnxJavaType expectedType = javaType(card.inputType());
        if (input.type != expectedType) {
            return new Invalid("input '" + card.inputTensor() + "' holds " + input.type + " values, but the model card"
                    + " says " + card.inputType().onnxName());
        }
        long[] inShape = input.getShape();
        int features = card.features().size();
        if (inShape.length != 2 || (inShape[1] >= 0 && inShape[1] != features)) {
            return new Invalid("input '" + card.inputTensor() + "' has shape " + Arrays.toString(inShape)
                    + ", but the model card lists " + features + " features, so it must be [rows, " + features + "]");
        }
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!outputs.containsKey(card.outputTensor())) {
            return new Invalid("the model card names output tensor '" + card.outputTensor() + "', but the model's"
                    + " outputs are " + outputs.keySet());
        }
        int labels = card.outputLabels().size();
        if (!(outputs.get(card.outputTensor()).getInfo() instanceof TensorInfo output)) {
            return new Invalid("output '" + card.outputTensor() + "' is not a tensor");
        }
        long[] outShape = output.getShape();
        if (outShape.length != 2 || (outShape[1] >= 0 && outShape[1] != labels)) {
            return new Invalid("output '" + card.outputTensor() + "' has shape " + Arrays.toString(outShape)
                    + ", but the model card lists " + labels + " output labels " + card.outputLabels());
        }
        long[] produced;
        try {
            produced = runOneRow(session, card, expectedType);
        } catch (OrtException e) {
            return new Invalid("running the model on one row of zeros failed: " + e.getMessage());
        }
        if (produced.length != 2 || produced[0] != 1 || produced[1] != labels) {
            return new Invalid("on one row the model answered shape " + Arrays.toString(produced) + " for output '"
                    + card.outputTensor() + "', expected [1, " + labels + "]");
        }
        var metadata = session.getMetadata();
        String producer = metadata.getProducerName() == null || metadata.getProducerName().isBlank()
                ? "unknown" : metadata.getProducerName();
        return new Valid(producer, metadata.getCustomMetadata());
    }

    private long[] runOneRow(OrtSession session, ModelCard card, OnnxJavaType type) throws OrtException {
        int features = card.features().size();
        long[] shape = {1, features};
        try (OnnxTensor tensor = switch (type) {
            case DOUBLE -> OnnxTensor.createTensor(environment, zeros(features * 8).asDoubleBuffer(), shape);
            case INT64 -> OnnxTensor.createTensor(environment, zeros(features * 8).asLongBuffer(), shape);
            default -> OnnxTensor.createTensor(environment, zeros(features * 4).asFloatBuffer(), shape);
        }; OrtSession.Result result = session.run(Map.of(card.inputTensor(), tensor))) {
            var value = result.get(card.outputTensor());
            if (value.isEmpty() || !(value.get().getInfo() instanceof TensorInfo info)) {
                return new long[0];
            }
            return info.getShape();
        }
    }

    private static ByteBuffer zeros(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private static OnnxJavaType javaType(ModelCard.TensorType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT64 -> OnnxJavaType.INT64;
        };
    }

    /** What the check found. */
    public sealed interface Result permits Valid, Invalid {
    }

    /**
     * The model agrees with its card.
     *
     * @param producer       the ONNX file's producer ({@code org.tribuo...}, {@code skl2onnx})
     * @param customMetadata the file's custom metadata (Tribuo writes its provenance there)
     */
    public record Valid(String producer, Map<String, String> customMetadata) implements Result {
        public Valid {
            customMetadata = Map.copyOf(customMetadata);
        }
    }

    /** @param reason what is wrong, naming the tensor, shape or field */
    public record Invalid(String reason) implements Result {
    }
}
