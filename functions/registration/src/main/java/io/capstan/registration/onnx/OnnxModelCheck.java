package io.capstan.registration.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import io.capstan.model.GraphValue;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads an ONNX model in ONNX Runtime — the runtime that will serve it — and checks it the way it will be served.
 * A model with a card must agree with it: one input tensor of the card's name, element type and feature count, and
 * outputs as the card describes them (a probability matrix or ZipMap with the card's labels, a label vector, or
 * values), shown by a run on one row of zeros. A model served as named tensors must load, with the inputs and outputs
 * its file declares; it is not run, since zeros are no valid input for every model (a category encoder refuses an
 * unknown category). Every disagreement is reported in words a person can act on.
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

    /** Checks {@code onnx} against a model card, as for Capstan's trainer. */
    public Result check(byte[] onnx, ModelCard card) {
        return check(onnx, card, true);
    }

    /**
     * Checks {@code onnx} as {@code manifest} says it is served. A model ONNX Runtime cannot load, or a card from
     * Capstan's trainer that the model does not agree with, is {@link Invalid}; a derived card that ONNX Runtime cannot
     * run is {@link Unservable}. Never throws for a bad model.
     */
    public Result check(byte[] onnx, ServingManifest manifest) {
        if (manifest.card() != null) {
            return check(onnx, manifest.card(), manifest.flavor() == ServingManifest.Flavor.CAPSTAN);
        }
        return withSession(onnx, session -> {
            List<String> inputs = new ArrayList<>(session.getInputInfo().keySet());
            List<String> outputs = new ArrayList<>(session.getOutputInfo().keySet());
            if (!inputs.equals(manifest.graph().inputNames()) || !outputs.equals(manifest.graph().outputNames())) {
                return new Invalid("ONNX Runtime reads inputs " + inputs + " and outputs " + outputs + " where the"
                        + " file declares " + manifest.graph().inputNames() + " and " + manifest.graph().outputNames());
            }
            return valid(session);
        });
    }

    private Result check(byte[] onnx, ModelCard card, boolean cardIsTheModelsOwn) {
        return withSession(onnx, session -> {
            String mismatch = CardAgreement.mismatch(session, card);
            if (mismatch == null) {
                mismatch = runOneRow(session, card);
            }
            if (mismatch == null) {
                return valid(session);
            }
            return cardIsTheModelsOwn ? new Invalid(mismatch) : new Unservable(mismatch);
        });
    }

    private Result withSession(byte[] onnx, SessionCheck check) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            OrtSession session;
            try {
                session = environment.createSession(onnx, options);
            } catch (OrtException e) {
                return new Invalid("the ONNX file is not a model ONNX Runtime " + runtimeVersion() + " can load: "
                        + e.getMessage());
            }
            try (session) {
                return check.apply(session);
            }
        } catch (OrtException e) {
            return new Invalid("ONNX Runtime failed while checking the model: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface SessionCheck {
        Result apply(OrtSession session) throws OrtException;
    }

    private static Result valid(OrtSession session) throws OrtException {
        var metadata = session.getMetadata();
        String producer = metadata.getProducerName() == null || metadata.getProducerName().isBlank()
                ? "unknown" : metadata.getProducerName();
        return new Valid(producer, metadata.getCustomMetadata());
    }

    /** Runs the card's model on one row of zeros and checks what comes back; null when it agrees. */
    private String runOneRow(OrtSession session, ModelCard card) {
        GraphValue input = GraphValue.tensor(card.inputTensor(), card.inputType().onnxName(),
                List.of(1L, (long) card.features().size()));
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            feed.put(card.inputTensor(), ZeroTensors.create(environment, input));
            try (OrtSession.Result result = session.run(feed)) {
                return CardAgreement.outputMismatch(result, card);
            }
        } catch (OrtException e) {
            return "running the model on one row of zeros failed: " + e.getMessage();
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** What the check found. */
    public sealed interface Result permits Valid, Invalid, Unservable {
    }

    /**
     * The model runs as it will be served.
     *
     * @param producer       the ONNX file's producer ({@code org.tribuo...}, {@code skl2onnx})
     * @param customMetadata the file's custom metadata (Tribuo writes its provenance there)
     */
    public record Valid(String producer, Map<String, String> customMetadata) implements Result {
        public Valid {
            customMetadata = Map.copyOf(customMetadata);
        }
    }

    /** @param reason what is wrong with the model itself: it is corrupt or contradicts its own card */
    public record Invalid(String reason) implements Result {
    }

    /** @param reason why a sound model cannot be served as derived */
    public record Unservable(String reason) implements Result {
    }

    /** The card's claims about inputs and outputs, held against the session. */
    private static final class CardAgreement {
        private CardAgreement() {
        }

        static String mismatch(OrtSession session, ModelCard card) throws OrtException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (!inputs.containsKey(card.inputTensor())) {
                return "the model card names input tensor '" + card.inputTensor() + "', but the model's inputs are "
                        + inputs.keySet();
            }
            if (inputs.size() != 1) {
                return "the model has " + inputs.size() + " inputs " + inputs.keySet() + "; a model with a card takes"
                        + " one input tensor holding every feature";
            }
            if (!(inputs.get(card.inputTensor()).getInfo() instanceof TensorInfo input)) {
                return "input '" + card.inputTensor() + "' is not a tensor";
            }
            if (input.type != javaType(card.inputType())) {
                return "input '" + card.inputTensor() + "' holds " + input.type + " values, but the model card says "
                        + card.inputType().onnxName();
            }
            long[] inShape = input.getShape();
            int features = card.features().size();
            if (inShape.length != 2 || (inShape[1] >= 0 && inShape[1] != features)) {
                return "input '" + card.inputTensor() + "' has shape " + Arrays.toString(inShape) + ", but the model"
                        + " card lists " + features + " features, so it must be [rows, " + features + "]";
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            for (String name : cardOutputs(card)) {
                if (!outputs.containsKey(name)) {
                    return "the model card names output '" + name + "', but the model's outputs are "
                            + outputs.keySet();
                }
            }
            NodeInfo main = outputs.get(card.outputTensor());
            if (card.probabilities() == ModelCard.ProbabilityLayout.ZIPMAP) {
                if (!(main.getInfo() instanceof SequenceInfo sequence) || !sequence.isSequenceOfMaps()) {
                    return "output '" + card.outputTensor() + "' is " + main.getInfo() + ", but the model card says"
                            + " it is a ZipMap (a sequence of maps of label to probability)";
                }
                return null;
            }
            if (!(main.getInfo() instanceof TensorInfo output)) {
                return "output '" + card.outputTensor() + "' is not a tensor";
            }
            long[] outShape = output.getShape();
            if (card.task() == ModelCard.Task.REGRESSION) {
                boolean values = outShape.length == 1 || (outShape.length == 2 && (outShape[1] < 0 || outShape[1] == 1));
                return values ? null : "output '" + card.outputTensor() + "' has shape " + Arrays.toString(outShape)
                        + "; a regressor answers one value per row, [rows] or [rows, 1]";
            }
            int labels = card.outputLabels().size();
            if (outShape.length != 2 || (outShape[1] >= 0 && outShape[1] != labels)) {
                return "output '" + card.outputTensor() + "' has shape " + Arrays.toString(outShape)
                        + ", but the model card lists " + labels + " output labels " + card.outputLabels();
            }
            return null;
        }

        /** What a one-row run answered, held against the card; null when it agrees. */
        static String outputMismatch(OrtSession.Result result, ModelCard card) throws OrtException {
            OnnxValue main = result.get(card.outputTensor()).orElse(null);
            int labels = card.outputLabels().size();
            if (main instanceof OnnxSequence sequence) {
                List<? extends OnnxValue> rows = sequence.getValue();
                if (rows.size() != 1 || !(rows.get(0) instanceof OnnxMap map)) {
                    return "on one row the model's ZipMap '" + card.outputTensor() + "' answered " + rows.size()
                            + " entries, expected one map";
                }
                Set<String> keys = new TreeSet<>();
                map.getValue().keySet().forEach(k -> keys.add(String.valueOf(k)));
                if (!keys.equals(new TreeSet<>(card.outputLabels()))) {
                    return "on one row the model's ZipMap '" + card.outputTensor() + "' answered labels " + keys
                            + ", but the model names " + card.outputLabels();
                }
            } else if (main instanceof OnnxTensor tensor) {
                long[] shape = tensor.getInfo().getShape();
                long expected = card.task() == ModelCard.Task.REGRESSION ? 1 : labels;
                boolean fits = shape.length > 0 && shape[0] == 1
                        && (shape.length == 2 ? shape[1] == expected : shape.length == 1 && expected == 1);
                if (!fits) {
                    return "on one row the model answered shape " + Arrays.toString(shape) + " for output '"
                            + card.outputTensor() + "', expected [1, " + expected + "]";
                }
            } else {
                return "on one row the model answered no value for output '" + card.outputTensor() + "'";
            }
            if (card.labelOutput() != null) {
                OnnxValue label = result.get(card.labelOutput()).orElse(null);
                if (!(label instanceof OnnxTensor tensor) || tensor.getInfo().getNumElements() != 1) {
                    return "on one row the model's label output '" + card.labelOutput() + "' did not answer one label";
                }
            }
            return null;
        }

        private static List<String> cardOutputs(ModelCard card) {
            List<String> names = new ArrayList<>();
            names.add(card.outputTensor());
            if (card.labelOutput() != null) {
                names.add(card.labelOutput());
            }
            return names;
        }

        private static OnnxJavaType javaType(ModelCard.TensorType type) {
            return switch (type) {
                case FLOAT -> OnnxJavaType.FLOAT;
                case DOUBLE -> OnnxJavaType.DOUBLE;
                case INT64 -> OnnxJavaType.INT64;
            };
        }
    }
}
