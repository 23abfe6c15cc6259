package io.capstan.predict.input;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Reuses the direct float buffers that carry features to ONNX Runtime, so a warm container allocates no native
 * memory per request. Buffers are sized in powers of two; a few idle ones are kept, the largest first dropped.
 */
public final class DirectBufferPool {
    private static final int MIN_FLOATS = 1024;
    private final int maxIdle;
    private final ArrayDeque<FloatBuffer> idle = new ArrayDeque<>();

    /** @param maxIdle how many idle buffers to keep; Lambda serves one request at a time, the local gateway several */
    public DirectBufferPool(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** A cleared direct buffer in native byte order holding at least {@code floats} floats. */
    public FloatBuffer acquire(int floats) {
        synchronized (idle) {
            FloatBuffer best = null;
            for (FloatBuffer candidate : idle) {
                if (candidate.capacity() >= floats && (best == null || candidate.capacity() < best.capacity())) {
                    best = candidate;
                }
            }
            if (best != null) {
                idle.remove(best);
                best.clear();
                return best;
            }
        }
        int size = Math.max(MIN_FLOATS, Integer.highestOneBit(Math.max(1, floats - 1)) << 1);
        if (size < floats) {
            size = floats;
        }
        return ByteBuffer.allocateDirect(Math.multiplyExact(size, Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    public void release(FloatBuffer buffer) {
        synchronized (idle) {
            idle.push(buffer);
            if (idle.size() > maxIdle) {
                FloatBuffer largest = null;
                for (Iterator<FloatBuffer> it = idle.iterator(); it.hasNext(); ) {
                    FloatBuffer b = it.next();
                    if (largest == null || b.capacity() > largest.capacity()) {
                        largest = b;
                    }
                }
                idle.remove(largest);
            }
        }
    }
}
