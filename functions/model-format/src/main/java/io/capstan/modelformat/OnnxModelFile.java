package io.capstan.modelformat;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.capstan.model.GraphValue;
import io.capstan.model.InvalidModelFormatException;
import io.capstan.model.OnnxGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX file says about itself, read from its protobuf: the graph's inputs and outputs, and — for the
 * classical-ML operators that skl2onnx and onnxmltools write — whether it classifies or regresses and the class labels
 * in the order of its probability outputs. ONNX Runtime's Java API exposes neither nodes nor attributes, hence the
 * protobuf.
 *
 * @param graph       the graph's inputs, outputs, operator sets and producer
 * @param kind        what the graph's {@code ai.onnx.ml} operators say it does
 * @param classLabels a classifier's labels in probability order, as text; empty when the graph names none
 */
public record OnnxModelFile(OnnxGraph graph, Kind kind, List<String> classLabels) {
    private static final String ML_DOMAIN = "ai.onnx.ml";
    private static final Set<String> CLASSIFIERS = Set.of("LinearClassifier", "TreeEnsembleClassifier",
            "SVMClassifier", "ZipMap");
    private static final Set<String> REGRESSORS = Set.of("LinearRegressor", "TreeEnsembleRegressor", "SVMRegressor",
            "TreeEnsemble");
    private static final List<String> LABEL_ATTRIBUTES = List.of("classlabels_int64s", "classlabels_ints",
            "classlabels_strings");

    public OnnxModelFile {
        classLabels = List.copyOf(classLabels);
    }

    /** What the graph does, as far as its operators tell. */
    public enum Kind {
        /** It has a classical-ML classifier or ZipMap node. */
        CLASSIFIER,
        /** It has a classical-ML regressor node. */
        REGRESSOR,
        /** Its operators do not say (a neural network, a hand-made graph). */
        UNKNOWN
    }

    /**
     * Reads an ONNX file.
     *
     * @throws InvalidModelFormatException when the bytes are not an ONNX model
     */
    public static OnnxModelFile read(byte[] onnx) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelFormatException("the ONNX file is not a readable ONNX model (" + e.getMessage()
                    + ")");
        }
        if (!model.hasGraph() || model.getGraph().getOutputCount() == 0) {
            throw new InvalidModelFormatException("the ONNX file has no graph with outputs; it is not a model");
        }
        OnnxMl.GraphProto graph = model.getGraph();
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        graph.getSparseInitializerList().forEach(t -> initializers.add(t.getValues().getName()));
        List<GraphValue> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
            if (!initializers.contains(input.getName())) {
                inputs.add(value(input));
            }
        }
        List<GraphValue> outputs = graph.getOutputList().stream().map(OnnxModelFile::value).toList();
        Map<String, Long> opsets = new LinkedHashMap<>();
        model.getOpsetImportList().forEach(o -> opsets.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(),
                o.getVersion()));
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        OnnxGraph described = new OnnxGraph(inputs, outputs, opsets, producer, onnx.length);
        return new OnnxModelFile(described, kind(graph), labels(graph));
    }

    private static Kind kind(OnnxMl.GraphProto graph) {
        Kind kind = Kind.UNKNOWN;
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!node.getDomain().equals(ML_DOMAIN)) {
                continue;
            }
            if (CLASSIFIERS.contains(node.getOpType())) {
                return Kind.CLASSIFIER;
            }
            if (REGRESSORS.contains(node.getOpType())) {
                kind = Kind.REGRESSOR;
            }
        }
        return kind;
    }

    /** The labels of the ZipMap, else of the last classifier node: the order its probabilities come in. */
    private static List<String> labels(OnnxMl.GraphProto graph) {
        List<String> labels = List.of();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!node.getDomain().equals(ML_DOMAIN) || !CLASSIFIERS.contains(node.getOpType())) {
                continue;
            }
            List<String> found = labelsOf(node);
            if (!found.isEmpty()) {
                labels = found;
                if (node.getOpType().equals("ZipMap")) {
                    return labels;
                }
            }
        }
        return labels;
    }

    private static List<String> labelsOf(OnnxMl.NodeProto node) {
        for (OnnxMl.AttributeProto attribute : node.getAttributeList()) {
            if (!LABEL_ATTRIBUTES.contains(attribute.getName())) {
                continue;
            }
            if (attribute.getName().equals("classlabels_strings")) {
                return attribute.getStringsList().stream().map(ByteString::toStringUtf8).toList();
            }
            return attribute.getIntsList().stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static GraphValue value(OnnxMl.ValueInfoProto info) {
        OnnxMl.TypeProto type = info.getType();
        if (type.hasTensorType()) {
            return GraphValue.tensor(info.getName(), elementType(type.getTensorType().getElemType()),
                    dims(type.getTensorType()));
        }
        if (type.hasSequenceType() && type.getSequenceType().getElemType().hasMapType()) {
            OnnxMl.TypeProto.Map map = type.getSequenceType().getElemType().getMapType();
            String valueType = map.getValueType().hasTensorType()
                    ? elementType(map.getValueType().getTensorType().getElemType()) : "unknown";
            return new GraphValue(info.getName(), GraphValue.Kind.SEQUENCE_OF_MAPS, valueType, List.of(),
                    elementType(map.getKeyType()));
        }
        return new GraphValue(info.getName(), GraphValue.Kind.OTHER, type.getValueCase().name().toLowerCase(
                java.util.Locale.ROOT), List.of(), null);
    }

    private static List<Long> dims(OnnxMl.TypeProto.Tensor tensor) {
        if (!tensor.hasShape()) {
            return List.of();
        }
        List<Long> dims = new ArrayList<>();
        for (OnnxMl.TensorShapeProto.Dimension d : tensor.getShape().getDimList()) {
            dims.add(d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : -1L);
        }
        return dims;
    }

    /** ONNX's element type names, as {@code TensorProto.DataType} numbers them. */
    static String elementType(int code) {
        return switch (code) {
            case 1 -> "float";
            case 2 -> "uint8";
            case 3 -> "int8";
            case 4 -> "uint16";
            case 5 -> "int16";
            case 6 -> "int32";
            case 7 -> "int64";
            case 8 -> "string";
            case 9 -> "bool";
            case 10 -> "float16";
            case 11 -> "double";
            case 12 -> "uint32";
            case 13 -> "uint64";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case 16 -> "bfloat16";
            default -> "undefined(" + code + ")";
        };
    }
}
