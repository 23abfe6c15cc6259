package io.capstan.predict.tensor;

import java.util.Arrays;

/**
 * An n-dimensional array read from a request: its shape and its elements, row-major, as the JSON carried them. What
 * numpy's {@code np.array(data)} makes of a nested list, before any conversion.
 */
final class NdArray {
    private final long[] shape;
    private final Scalars values;

    NdArray(long[] shape, Scalars values) {
        this.shape = shape.clone();
        this.values = values;
        if (count(shape) != values.size()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape)
                    + " elements, not " + values.size());
        }
    }

    long[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }

    long dim(int i) {
        return shape[i];
    }

    int size() {
        return values.size();
    }

    Scalars values() {
        return values;
    }

    /** The same elements in another shape of as many elements. */
    NdArray reshape(long[] newShape) {
        return new NdArray(newShape, values);
    }

    String shapeText() {
        return text(shape);
    }

    static long count(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    static String text(long[] shape) {
        return Arrays.toString(shape);
    }
}
