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

    void putFloat(int row, int column, float value) {
        buffer.putFloat((row * width + column) * Float.BYTES, value);
    }

    void putDouble(int row, int column, double value) {
        buffer.putDouble((row * width + column) * Double.BYTES, value);
    }

    void putLong(int row, int column, long value) {
        buffer.putLong((row * width + column) * Long.BYTES, value);
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
