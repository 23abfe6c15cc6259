package io.capstan.predict.input;

import io.capstan.model.ModelCard.TensorType;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fills a pooled direct buffer cell by cell while a reader walks the JSON, tracking which cells each row has so that a
 * missing or repeated column is reported by name. Closing it without {@link #finish} returns the buffer to the pool.
 */
final class FeatureMatrixBuilder implements AutoCloseable {
    private final FeatureColumns columns;
    private final TensorType type;
    private final int elementBytes;
    private final int width;
    private final int maxRows;
    private final DirectBufferPool pool;
    private final int[] filledInRow;
    private ByteBuffer buffer;
    private int capacityRows;

    FeatureMatrixBuilder(FeatureColumns columns, int initialRows, int maxRows, DirectBufferPool pool) {
        this.columns = columns;
        this.type = columns.type();
        this.elementBytes = elementBytes(type);
        this.width = columns.width();
        this.maxRows = maxRows;
        this.pool = pool;
        this.filledInRow = new int[width];
        Arrays.fill(filledInRow, -1);
        this.capacityRows = initialRows;
        this.buffer = pool.acquire(Math.multiplyExact(Math.multiplyExact(initialRows, width), elementBytes));
    }

    static int elementBytes(TensorType type) {
        return type == TensorType.FLOAT ? Float.BYTES : Long.BYTES;
    }

    FeatureColumns columns() {
        return columns;
    }

    /** Makes room for {@code row}, refusing a row past the limit. */
    void ensureRow(int row) {
        if (row < capacityRows) {
            return;
        }
        if (row >= maxRows) {
            throw InputErrors.tooManyRows(maxRows);
        }
        int grown = (int) Math.min(maxRows, Math.max(row + 1L, capacityRows * 2L));
        ByteBuffer larger = pool.acquire(Math.multiplyExact(Math.multiplyExact(grown, width), elementBytes));
        buffer.limit(capacityRows * width * elementBytes).position(0);
        larger.put(buffer);
        larger.clear();
        pool.release(buffer);
        buffer = larger;
        capacityRows = grown;
    }

    /** The most rows the builder takes. */
    int maxRows() {
        return maxRows;
    }

    /** Cell {@code row * width + column} of a float or double matrix: {@code value}, narrowed to float for float. */
    void putCell(int cell, double value) {
        if (type == TensorType.FLOAT) {
            buffer.putFloat(cell * Float.BYTES, (float) value);
        } else {
            buffer.putDouble(cell * Double.BYTES, value);
        }
    }

    void putFloat(int row, int column, float value) {
        buffer.putFloat((row * width + column) * Float.BYTES, value);
    }

    void putDouble(int row, int column, double value) {
        buffer.putDouble((row * width + column) * Double.BYTES, value);
    }

    void putLong(int row, int column, long value) {
        buffer.putLong((row * width + column) * Long.BYTES, value);
    }

    /**
     * Copies the first {@code rows} full rows from little-endian binary data of the builder's element type (the binary
     * data extension), in bulk where the machine is little-endian.
     */
    void copyRows(ByteBuffer littleEndian, int rows) {
        ensureRow(rows - 1);
        int bytes = rows * width * elementBytes;
        if (buffer.order() == java.nio.ByteOrder.LITTLE_ENDIAN) {
            buffer.put(0, littleEndian, littleEndian.position(), bytes);
            return;
        }
        for (int i = 0; i < bytes; i += elementBytes) {
            if (elementBytes == Float.BYTES) {
                buffer.putFloat(i, littleEndian.getFloat(littleEndian.position() + i));
            } else {
                buffer.putLong(i, littleEndian.getLong(littleEndian.position() + i));
            }
        }
    }

    /** Cell ({@code row}, {@code column}) as a double (float and double inputs). */
    double get(int row, int column) {
        int cell = row * width + column;
        return type == TensorType.FLOAT ? buffer.getFloat(cell * Float.BYTES) : buffer.getDouble(cell * Double.BYTES);
    }

    /**
     * The first cell ({@code row * width + column}) of the first {@code rows} rows, in {@code column} or in every
     * column (-1), holding an infinity, or NaN unless {@code nanIsMissing}; -1 when there is none.
     */
    int firstNonFinite(int rows, int column, boolean nanIsMissing) {
        int from = column < 0 ? 0 : column;
        int to = column < 0 ? width : column + 1;
        for (int r = 0; r < rows; r++) {
            for (int c = from; c < to; c++) {
                double value = get(r, c);
                if (Double.isInfinite(value) || (!nanIsMissing && Double.isNaN(value))) {
                    return r * width + c;
                }
            }
        }
        return -1;
    }

    /** A missing value: NaN, in a float or double column. */
    void putMissing(int row, int column) {
        if (type == TensorType.FLOAT) {
            putFloat(row, column, Float.NaN);
        } else {
            putDouble(row, column, Double.NaN);
        }
    }

    /** Records that {@code row} has {@code column}; false when the row already had it. */
    boolean markFilled(int row, int column) {
        if (filledInRow[column] == row) {
            return false;
        }
        filledInRow[column] = row;
        return true;
    }

    /** The first column that {@code row} lacks, or -1 when it has every column. */
    int firstMissing(int row) {
        for (int c = 0; c < width; c++) {
            if (filledInRow[c] != row) {
                return c;
            }
        }
        return -1;
    }

    FeatureMatrix finish(int rows) {
        FeatureMatrix matrix = new FeatureMatrix(buffer, type, rows, width, pool);
        buffer = null;
        return matrix;
    }

    @Override
    public void close() {
        if (buffer != null) {
            pool.release(buffer);
            buffer = null;
        }
    }
}
