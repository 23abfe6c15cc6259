package io.capstan.predict.input;

import java.nio.FloatBuffer;

/**
 * A batch of rows in the model card's column order, row-major in a direct buffer that ONNX Runtime reads without a
 * copy. Closing it returns the buffer to its pool; it must not be used afterwards.
 */
public final class FeatureMatrix implements AutoCloseable {
    private final FloatBuffer buffer;
    private final int rows;
    private final int width;
    private final DirectBufferPool pool;
    private boolean closed;

    FeatureMatrix(FloatBuffer buffer, int rows, int width, DirectBufferPool pool) {
        this.buffer = buffer;
        this.rows = rows;
        this.width = width;
        this.pool = pool;
    }

    /** The values, positioned at 0 and limited to {@code rows * width}. */
    public FloatBuffer values() {
        buffer.limit(rows * width).position(0);
        return buffer;
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return width;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.release(buffer);
        }
    }
}
