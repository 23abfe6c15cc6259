package io.capstan.predict.tensor;

import io.capstan.error.CapstanException;
import java.io.IOException;
import java.util.Arrays;

/** Collects one column of a frame, or one named array built from records: a value per row, each of the same shape. */
final class ColumnBuilder {
    private final String name;
    private final String source;
    private final Scalars values = new Scalars(16);
    private long[] cellShape;
    private int rows;

    ColumnBuilder(String name, String source) {
        this.name = name;
        this.source = source;
    }

    String name() {
        return name;
    }

    int rows() {
        return rows;
    }

    /** Reads the value at the parser's current token as the next row's cell. */
    void read(JsonArrays arrays) throws IOException {
        long[] shape = arrays.readInto(values, source + ": row " + rows + ", column '" + name + "'");
        accept(shape);
    }

    /** A missing cell (a record without this column): null, as pandas makes it NaN. */
    void addMissing() {
        values.addNull();
        accept(new long[0]);
    }

    private void accept(long[] shape) {
        if (cellShape == null) {
            cellShape = shape;
        } else if (!Arrays.equals(cellShape, shape)) {
            throw CapstanException.invalidParameter(source + ": column '" + name + "' holds "
                    + (cellShape.length == 0 ? "a value" : "an array of shape " + NdArray.text(cellShape))
                    + " in row 0 but " + (shape.length == 0 ? "a value" : "an array of shape " + NdArray.text(shape))
                    + " in row " + rows + "; every row of a column needs the same shape.");
        }
        rows++;
    }

    NdArray build() {
        long[] shape = new long[1 + (cellShape == null ? 0 : cellShape.length)];
        shape[0] = rows;
        if (cellShape != null) {
            System.arraycopy(cellShape, 0, shape, 1, cellShape.length);
        }
        return new NdArray(shape, values);
    }
}
