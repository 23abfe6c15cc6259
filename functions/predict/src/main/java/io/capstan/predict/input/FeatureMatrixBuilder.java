package io.capstan.predict.input;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Fills a pooled direct buffer cell by cell while a reader walks the JSON, tracking which cells each row has so that a
 * missing or repeated column is reported by name. Closing it without {@link #finish} returns the buffer to the pool.
 */
final class FeatureMatrixBuilder implements AutoCloseable {
    private final FeatureColumns columns;
    private final int width;
    private final int maxRows;
    private final DirectBufferPool pool;
    private final int[] filledInRow;
    private FloatBuffer buffer;
    private int capacityRows;

    FeatureMatrixBuilder(FeatureColumns columns, int initialRows, int maxRows, DirectBufferPool pool) {
        this.columns = columns;
        this.width = columns.width();
        this.maxRows = maxRows;
        this.pool = pool;
        this.filledInRow = new int[width];
        Arrays.fill(filledInRow, -1);
        this.capacityRows = initialRows;
        this.buffer = pool.acquire(Math.multiplyExact(initialRows, width));
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
        FloatBuffer larger = pool.acquire(Math.multiplyExact(grown, width));
        buffer.limit(capacityRows * width).position(0);
        larger.put(buffer);
        pool.release(buffer);
        buffer = larger;
        capacityRows = grown;
    }

    void put(int row, int column, float value) {
        buffer.put(row * width + column, value);
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
        FeatureMatrix matrix = new FeatureMatrix(buffer, rows, width, pool);
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
