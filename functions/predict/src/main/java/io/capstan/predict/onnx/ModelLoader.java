package io.capstan.predict.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.GraphValue;
import io.capstan.model.ModelCard;
import io.capstan.model.OnnxGraph;
import io.capstan.predict.ResolvedModel;
import io.capstan.provenance.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a resolved version into a session: fetches the bytes, checks them against the registry's SHA-256, creates the
 * session, reads its graph and, for a tabular model, checks the graph against the model card, so that a mismatch fails
 * at load with both sides named rather than at inference.
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
            OnnxGraph graph = graphOf(session, bytes.length);
            if (model.isTabular()) {
                new CardCheck(model.card(), label).check(session);
            }
            return new LoadedModel(model.name(), model.version(), model.sha256(), model.manifest(), graph,
                    environment, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new CapstanException(ErrorCode.INVALID_STATE, label + " cannot be served: its inputs and outputs"
                    + " cannot be read (" + e.getMessage() + ").", e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    /** The session's inputs and outputs in graph order, in the manifest's terms. */
    static OnnxGraph graphOf(OrtSession session, long sizeBytes) throws OrtException {
        return new OnnxGraph(values(session.getInputInfo()), values(session.getOutputInfo()), Map.of(), "", sizeBytes);
    }

    private static List<GraphValue> values(Map<String, NodeInfo> nodes) {
        List<GraphValue> values = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo tensor) {
                List<Long> shape = new ArrayList<>();
                for (long dim : tensor.getShape()) {
                    shape.add(dim < 0 ? -1L : dim);
                }
                values.add(GraphValue.tensor(node.getName(), typeName(tensor), shape));
            } else if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
                MapInfo map = sequence.mapInfo;
                values.add(new GraphValue(node.getName(), GraphValue.Kind.SEQUENCE_OF_MAPS, name(map.valueType),
                        List.of(), name(map.keyType)));
            } else {
                values.add(new GraphValue(node.getName(), GraphValue.Kind.OTHER, "", List.of(), null));
            }
        }
        return values;
    }

    private static String typeName(TensorInfo tensor) {
        return tensor.onnxType.name().substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length()).toLowerCase(Locale.ROOT);
    }

    private static String name(OnnxJavaType type) {
        return ElementType.ofJavaType(type).map(ElementType::onnxName).orElse(type.name().toLowerCase(Locale.ROOT));
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // the load has failed already; that failure is the one to report
        }
    }

    /** Checks a tabular model's graph against its card. */
    private record CardCheck(ModelCard card, String label) {

        void check(OrtSession session) throws OrtException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (inputs.size() != 1 || !inputs.containsKey(card.inputTensor())) {
                throw mismatch("the card's input tensor is '" + card.inputTensor() + "' but the graph takes "
                        + inputs.keySet());
            }
            checkTensor(inputs.get(card.inputTensor()), ElementType.of(card.inputType()).javaType(), 2,
                    card.features().size(), "input '" + card.inputTensor() + "'");
            NodeInfo output = output(outputs, card.outputTensor(), "output tensor");
            if (card.task() == ModelCard.Task.REGRESSION) {
                checkColumn(output, List.of(OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE), "output '"
                        + card.outputTensor() + "'");
            } else if (card.probabilities() == ModelCard.ProbabilityLayout.ZIPMAP) {
                if (!(output.getInfo() instanceof SequenceInfo sequence) || !sequence.isSequenceOfMaps()) {
                    throw mismatch("output '" + card.outputTensor() + "' is " + output.getInfo() + ", not the sequence"
                            + " of maps the card's zipmap layout says");
                }
            } else {
                checkTensor(output, OnnxJavaType.FLOAT, 2, card.outputLabels().size(), "output '"
                        + card.outputTensor() + "'");
            }
            if (card.labelOutput() != null) {
                checkColumn(output(outputs, card.labelOutput(), "label output"), List.of(OnnxJavaType.INT64,
                        OnnxJavaType.STRING), "label output '" + card.labelOutput() + "'");
            }
        }

        private NodeInfo output(Map<String, NodeInfo> outputs, String name, String what) {
            NodeInfo node = outputs.get(name);
            if (node == null) {
                throw mismatch("the card's " + what + " is '" + name + "' but the graph answers " + outputs.keySet());
            }
            return node;
        }

        private void checkTensor(NodeInfo node, OnnxJavaType type, int rank, int columns, String what) {
            if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != type
                    || tensor.getShape().length != rank) {
                throw mismatch(what + " is " + node.getInfo() + ", not a " + type.name().toLowerCase(Locale.ROOT)
                        + " tensor of rank " + rank);
            }
            long width = tensor.getShape()[1];
            if (width >= 0 && width != columns) {
                throw mismatch(what + " has " + width + " columns but the card lists " + columns);
            }
        }

        /** A tensor of shape [N] or [N, 1] of one of {@code types}. */
        private void checkColumn(NodeInfo node, List<OnnxJavaType> types, String what) {
            if (!(node.getInfo() instanceof TensorInfo tensor) || !types.contains(tensor.type)
                    || tensor.getShape().length < 1 || tensor.getShape().length > 2
                    || (tensor.getShape().length == 2 && tensor.getShape()[1] > 1)) {
                throw mismatch(what + " is " + node.getInfo() + ", not a tensor of shape [N] or [N, 1] of "
                        + types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
            }
        }

        private CapstanException mismatch(String what) {
            return new CapstanException(ErrorCode.INVALID_STATE, label + " does not match its model card: " + what
                    + ".");
        }
    }
}
