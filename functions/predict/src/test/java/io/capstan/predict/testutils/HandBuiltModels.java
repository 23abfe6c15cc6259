package io.capstan.predict.testutils;

import ai.onnx.proto.OnnxMl;
import io.capstan.model.ModelCard;

/**
 * Small ONNX models built here with ONNX's protobuf messages, for input types no converter fixture has: a linear
 * classifier {@code softmax(cast(X) · W)} and a linear regressor {@code cast(X) · w}, whose input {@code X} is float,
 * double or int64 {@code [N, F]}. Their answers are computed here too, for parity checks.
 */
public final class HandBuiltModels {
    private HandBuiltModels() {
    }

    /** {@code probabilities = softmax(cast(X) · W)}, float {@code [N, C]}; W is {@code [F][C]}. */
    public static byte[] classifier(ModelCard.TensorType inputType, float[][] weights) {
        int classes = weights[0].length;
        OnnxMl.GraphProto.Builder graph = graph(inputType, weights.length, weights, "probabilities", classes);
        graph.addNode(node("Softmax", "scores", "probabilities").addAttribute(OnnxMl.AttributeProto.newBuilder()
                .setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)));
        return model(graph);
    }

    /** {@code value = cast(X) · w}, float {@code [N, 1]}. */
    public static byte[] regressor(ModelCard.TensorType inputType, float[] weights) {
        float[][] column = new float[weights.length][1];
        for (int i = 0; i < weights.length; i++) {
            column[i][0] = weights[i];
        }
        OnnxMl.GraphProto.Builder graph = graph(inputType, weights.length, column, "value", 1);
        graph.addNode(node("Identity", "scores", "value"));
        return model(graph);
    }

    /** The classifier's answer for one row. */
    public static double[] softmax(double[] row, float[][] weights) {
        int classes = weights[0].length;
        double[] scores = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            for (int f = 0; f < row.length; f++) {
                scores[c] += (float) row[f] * weights[f][c];
            }
            max = Math.max(max, scores[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            scores[c] = Math.exp(scores[c] - max);
            sum += scores[c];
        }
        for (int c = 0; c < classes; c++) {
            scores[c] /= sum;
        }
        return scores;
    }

    private static OnnxMl.GraphProto.Builder graph(ModelCard.TensorType inputType, int features, float[][] weights,
                                                   String output, int outputWidth) {
        OnnxMl.TensorProto.Builder w = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(features).addDims(outputWidth);
        for (float[] row : weights) {
            for (float value : row) {
                w.addFloatData(value);
            }
        }
        OnnxMl.TensorProto.DataType type = switch (inputType) {
            case FLOAT -> OnnxMl.TensorProto.DataType.FLOAT;
            case DOUBLE -> OnnxMl.TensorProto.DataType.DOUBLE;
            case INT64 -> OnnxMl.TensorProto.DataType.INT64;
        };
        return OnnxMl.GraphProto.newBuilder().setName("hand-built")
                .addInput(value("X", type, features))
                .addOutput(value(output, OnnxMl.TensorProto.DataType.FLOAT, outputWidth))
                .addInitializer(w)
                .addNode(node("Cast", "X", "Xf").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)
                        .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber())))
                .addNode(node("MatMul", "Xf", "scores").addInput("W"));
    }

    private static OnnxMl.NodeProto.Builder node(String op, String input, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "-" + output).addInput(input)
                .addOutput(output);
    }

    private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type, int width) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static byte[] model(OnnxMl.GraphProto.Builder graph) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("capstan-predict-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build().toByteArray();
    }
}
