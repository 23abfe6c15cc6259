package io.capstan.predict.onnx;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's outputs for one run, decoded from ONNX Runtime into Java arrays, in the order the run asked for them.
 *
 * @param values the outputs
 */
public record ModelOutputs(List<OutputValue> values) {
    public ModelOutputs {
        values = List.copyOf(values);
    }

    public Optional<OutputValue> get(String name) {
        for (OutputValue value : values) {
            if (value.name().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The output named {@code name}, which the run must have produced. */
    public OutputValue require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("the run has no output '" + name + "'"));
    }

    /**
     * Decodes a run's result.
     *
     * @throws OrtException when ONNX Runtime cannot hand a value over
     * @throws CapstanException {@code INVALID_STATE} naming the output when it is of a kind the predict function
     *                          cannot answer (an opaque value, a sequence of tensors, …)
     */
    static ModelOutputs decode(OrtSession.Result result) throws OrtException {
        List<OutputValue> values = new ArrayList<>(result.size());
        for (Map.Entry<String, OnnxValue> entry : result) {
            values.add(decode(entry.getKey(), entry.getValue()));
        }
        return new ModelOutputs(values);
    }

    private static OutputValue decode(String name, OnnxValue value) throws OrtException {
        if (value instanceof OnnxTensor tensor) {
            return tensor(name, tensor);
        }
        if (value instanceof OnnxSequence sequence && sequence.getInfo().isSequenceOfMaps()) {
            ElementType keyType = ElementType.ofJavaType(sequence.getInfo().mapInfo.keyType)
                    .orElseThrow(() -> unsupported(name, "a sequence of maps with "
                            + sequence.getInfo().mapInfo.keyType + " keys"));
            List<Map<Object, Number>> rows = new ArrayList<>();
            for (OnnxValue element : sequence.getValue()) {
                try {
                    Map<?, ?> map = ((OnnxMap) element).getValue();
                    Map<Object, Number> copy = new LinkedHashMap<>(map.size() * 2);
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        copy.put(e.getKey(), (Number) e.getValue());
                    }
                    rows.add(copy);
                } finally {
                    element.close();
                }
            }
            return new OutputValue.Maps(name, keyType, rows);
        }
        throw unsupported(name, value.getInfo().toString());
    }

    private static OutputValue.Tensor tensor(String name, OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        ElementType type = ElementType.ofJavaType(info.type)
                .orElseThrow(() -> unsupported(name, "a tensor of " + info.onnxType));
        int count = Math.toIntExact(info.getNumElements());
        Object data = switch (type) {
            case FLOAT, FLOAT16, BFLOAT16 -> {
                float[] values = new float[count];
                tensor.getFloatBuffer().get(values);
                yield values;
            }
            case DOUBLE -> {
                double[] values = new double[count];
                tensor.getDoubleBuffer().get(values);
                yield values;
            }
            case INT64 -> {
                long[] values = new long[count];
                tensor.getLongBuffer().get(values);
                yield values;
            }
            case INT32 -> {
                int[] values = new int[count];
                tensor.getIntBuffer().get(values);
                yield values;
            }
            case INT16 -> {
                short[] values = new short[count];
                tensor.getShortBuffer().get(values);
                yield values;
            }
            case INT8, UINT8 -> {
                byte[] values = new byte[count];
                tensor.getByteBuffer().get(values);
                yield values;
            }
            case BOOL -> {
                ByteBuffer bytes = tensor.getByteBuffer();
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = bytes.get(i) != 0;
                }
                yield values;
            }
            case STRING -> {
                String[] values = new String[count];
                flatten(tensor.getValue(), values, new int[1]);
                yield values;
            }
        };
        return new OutputValue.Tensor(name, type == ElementType.FLOAT16 || type == ElementType.BFLOAT16
                ? ElementType.FLOAT : type, shape, data);
    }

    private static CapstanException unsupported(String output, String kind) {
        return new CapstanException(ErrorCode.INVALID_STATE, "The model's output '" + output + "' is " + kind
                + ", which the predict function cannot answer.");
    }

    /** Copies ONNX Runtime's nested {@code String} arrays (or a lone string, for a scalar) into {@code into}. */
    private static void flatten(Object value, String[] into, int[] next) {
        if (value instanceof String text) {
            into[next[0]++] = text;
        } else {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), into, next);
            }
        }
    }

}
