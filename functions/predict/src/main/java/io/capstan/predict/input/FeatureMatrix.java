package io.capstan.predict.input;

import io.capstan.model.ModelCard.TensorType;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * A batch of rows in the model card's column order, row-major in a direct buffer of the card's input type (float,
 * double or int64, native byte order) that ONNX Runtime reads without a copy. Closing it returns the buffer to its
 * pool; it must not be used afterwards.
 */
public final class FeatureMatrix implements AutoCloseable {
    private final ByteBuffer buffer;
    private final TensorType type;
    private final int rows;
    private final int width;
    private final DirectBufferPool pool;
    private final FloatBuffer floats;
    private boolean closed;

    FeatureMatrix(ByteBuffer buffer, TensorType type, int rows, int width, DirectBufferPool pool) {
        this.buffer = buffer;
        this.type = type;
        this.rows = rows;
        this.width = width;
        this.pool = pool;
        this.floats = type == TensorType.FLOAT ? buffer.duplicate().order(buffer.order()).clear().asFloatBuffer() : null;
    }

    /** The values' bytes, positioned at 0 and limited to {@code rows * width} elements. */
    public ByteBuffer data() {
        buffer.limit(rows * width * FeatureMatrixBuilder.elementBytes(type)).position(0);
        return buffer;
    }

    /** The element type of the values: the card's input type. */
    public TensorType type() {
        return type;
    }

    /** Copies row {@code row} into {@code into} (at least {@code width} long), as floats. */
    public void copyRow(int row, float[] into) {
        int base = row * width;
        switch (type) {
            case FLOAT -> floats.get(base, into, 0, width);
            case DOUBLE -> {
                for (int c = 0; c < width; c++) {
                    into[c] = (float) buffer.getDouble((base + c) * Double.BYTES);
                }
            }
            case INT64 -> {
                for (int c = 0; c < width; c++) {
                    into[c] = buffer.getLong((base + c) * Long.BYTES);
                }
            }
        }
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
