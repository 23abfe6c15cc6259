package io.capstan.predict.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One output of a model run, decoded from ONNX Runtime: a tensor, or a sequence of maps (ONNX's ZipMap). */
public sealed interface OutputValue permits OutputValue.Tensor, OutputValue.Maps {

    /** The output's name in the graph. */
    String name();

    /** The size of the leading dimension (rows, for a batch); 1 for a scalar. */
    long rows();

    /**
     * A tensor, row-major.
     *
     * @param name  the output's name
     * @param type  its element type
     * @param shape its dimensions; empty for a scalar
     * @param data  the elements: {@code float[]} (FLOAT, FLOAT16, BFLOAT16), {@code double[]}, {@code long[]},
     *              {@code int[]}, {@code short[]}, {@code byte[]} (INT8, UINT8 as unsigned), {@code boolean[]} or
     *              {@code String[]}; owned by this value, not copied
     */
    record Tensor(String name, ElementType type, long[] shape, Object data) implements OutputValue {

        @Override
        public long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** The number of elements. */
        public int size() {
            return java.lang.reflect.Array.getLength(data);
        }

        /** Elements per row: the product of every dimension after the first. */
        public int rowWidth() {
            long width = 1;
            for (int i = 1; i < shape.length; i++) {
                width *= shape[i];
            }
            return (int) width;
        }

        /** Element {@code i} as a double; for numeric and boolean tensors. */
        public double number(int i) {
            if (data instanceof float[] f) {
                return f[i];
            } else if (data instanceof double[] d) {
                return d[i];
            } else if (data instanceof long[] l) {
                return l[i];
            } else if (data instanceof int[] n) {
                return n[i];
            } else if (data instanceof short[] s) {
                return s[i];
            } else if (data instanceof byte[] b) {
                return type == ElementType.UINT8 ? b[i] & 0xff : b[i];
            } else if (data instanceof boolean[] z) {
                return z[i] ? 1 : 0;
            }
            throw new IllegalStateException("output '" + name + "' holds " + type.onnxName() + " values, not numbers");
        }

        /** Element {@code i} as text: a string element as it is, a number as Java prints it. */
        public String text(int i) {
            if (data instanceof String[] s) {
                return s[i];
            } else if (data instanceof long[] l) {
                return Long.toString(l[i]);
            } else if (data instanceof int[] n) {
                return Integer.toString(n[i]);
            }
            return String.valueOf(number(i));
        }

        @Override
        public String toString() {
            return name + " " + type.onnxName() + Arrays.toString(shape);
        }
    }

    /**
     * A sequence of maps, one per row: ONNX's ZipMap, label to probability.
     *
     * @param name    the output's name
     * @param keyType the keys' element type ({@code INT64} or {@code STRING})
     * @param rowMaps the maps in row order; keys are {@code Long} or {@code String}, values {@code Float} or
     *                {@code Double}
     */
    record Maps(String name, ElementType keyType, List<Map<Object, Number>> rowMaps) implements OutputValue {
        public Maps {
            rowMaps = List.copyOf(rowMaps);
        }

        @Override
        public long rows() {
            return rowMaps.size();
        }
    }
}
