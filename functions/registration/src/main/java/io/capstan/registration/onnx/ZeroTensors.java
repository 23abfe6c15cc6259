package io.capstan.registration.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.capstan.model.GraphValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Zero-filled tensors of a graph input's type and shape, open dimensions taken as 1: one row of nothing. */
final class ZeroTensors {
    /** A check never allocates more than this many elements for one input. */
    private static final long MAX_ELEMENTS = 1L << 24;

    private ZeroTensors() {
    }

    static OnnxTensor create(OrtEnvironment environment, GraphValue input) throws OrtException {
        long[] shape = input.shape().stream().mapToLong(d -> d < 0 ? 1 : d).toArray();
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count > MAX_ELEMENTS) {
            throw new IllegalArgumentException("input '" + input.name() + "' of shape " + input.shape() + " holds "
                    + count + " elements per row, more than the " + MAX_ELEMENTS + " a check allocates");
        }
        int n = (int) count;
        return switch (input.elementType()) {
            case "float" -> OnnxTensor.createTensor(environment, zeros(n * 4L).asFloatBuffer(), shape);
            case "double" -> OnnxTensor.createTensor(environment, zeros(n * 8L).asDoubleBuffer(), shape);
            case "int64" -> OnnxTensor.createTensor(environment, zeros(n * 8L).asLongBuffer(), shape);
            case "int32" -> OnnxTensor.createTensor(environment, zeros(n * 4L).asIntBuffer(), shape);
            case "int16" -> OnnxTensor.createTensor(environment, zeros(n * 2L).asShortBuffer(), shape,
                    OnnxJavaType.INT16);
            case "int8" -> OnnxTensor.createTensor(environment, zeros(n), shape, OnnxJavaType.INT8);
            case "uint8" -> OnnxTensor.createTensor(environment, zeros(n), shape, OnnxJavaType.UINT8);
            case "bool" -> OnnxTensor.createTensor(environment, zeros(n), shape, OnnxJavaType.BOOL);
            case "string" -> {
                String[] empty = new String[n];
                Arrays.fill(empty, "");
                yield OnnxTensor.createTensor(environment, empty, shape);
            }
            default -> throw new IllegalArgumentException("input '" + input.name() + "' holds "
                    + input.elementType() + " values, which Capstan does not feed");
        };
    }

    private static ByteBuffer zeros(long bytes) {
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
}
