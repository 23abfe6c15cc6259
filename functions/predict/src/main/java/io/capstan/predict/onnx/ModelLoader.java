package io.capstan.predict.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.predict.ResolvedModel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns a resolved version into a session: fetches the bytes, checks them against the registry's SHA-256, creates the
 * session and checks the graph against the model card, so that a mismatch fails at load with both sides named rather
 * than at inference.
 */
final class ModelLoader {
    private final OrtEnvironment environment;
    private final SessionSettings settings;

    ModelLoader(OrtEnvironment environment, SessionSettings settings) {
        this.environment = environment;
        this.settings = settings;
    }

    LoadedModel load(ResolvedModel model) {
        String label = "Model '" + model.name() + "' version " + model.version();
        checkServable(model.card(), label);
        byte[] bytes = model.onnx().fetch();
        String actual = sha256(bytes);
        if (!actual.equals(model.sha256())) {
            throw new CapstanException(ErrorCode.INTERNAL_ERROR, label + " cannot be served: its ONNX file has SHA-256 "
                    + actual + " but the registry records " + model.sha256() + "; the artifact changed after"
                    + " registration. Register it again as a new version.");
        }
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(bytes, options);
        } catch (OrtException e) {
            throw new CapstanException(ErrorCode.INVALID_STATE, label + " cannot be served: ONNX Runtime cannot load"
                    + " it (" + e.getMessage() + ").", e);
        }
        try {
            checkGraph(session, model.card(), label);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        return new LoadedModel(model.name(), model.version(), model.sha256(), model.card(), environment, session);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void checkServable(ModelCard card, String label) {
        if (card.task() != ModelCard.Task.CLASSIFICATION || card.inputType() != ModelCard.TensorType.FLOAT) {
            throw new CapstanException(ErrorCode.INVALID_STATE, label + " cannot be served: its card says "
                    + card.task().name().toLowerCase(java.util.Locale.ROOT) + " on " + card.inputType().onnxName()
                    + " inputs; the predict function serves classifiers on float inputs, as Capstan's trainer writes.");
        }
    }

    private static void checkGraph(OrtSession session, ModelCard card, String label) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (inputs.size() != 1 || !inputs.containsKey(card.inputTensor())) {
                throw mismatch(label, "the card's input tensor is '" + card.inputTensor() + "' but the graph takes "
                        + inputs.keySet());
            }
            checkMatrix(inputs.get(card.inputTensor()), card.features().size(), "input '" + card.inputTensor() + "'",
                    label);
            if (!outputs.containsKey(card.outputTensor())) {
                throw mismatch(label, "the card's output tensor is '" + card.outputTensor() + "' but the graph answers "
                        + outputs.keySet());
            }
            checkMatrix(outputs.get(card.outputTensor()), card.outputLabels().size(),
                    "output '" + card.outputTensor() + "'", label);
        } catch (OrtException e) {
            throw mismatch(label, "its inputs and outputs cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void checkMatrix(NodeInfo node, int columns, String what, String label) {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
                || tensor.getShape().length != 2) {
            throw mismatch(label, what + " is " + node.getInfo() + ", not a float tensor of rank 2");
        }
        long width = tensor.getShape()[1];
        if (width >= 0 && width != columns) {
            throw mismatch(label, what + " has " + width + " columns but the card lists " + columns);
        }
    }

    private static CapstanException mismatch(String label, String what) {
        return new CapstanException(ErrorCode.INVALID_STATE, label + " does not match its model card: " + what + ".");
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // the load has failed already; that failure is the one to report
        }
    }
}
