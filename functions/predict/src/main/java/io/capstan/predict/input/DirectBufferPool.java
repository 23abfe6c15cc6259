package io.capstan.predict.input;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Reuses the direct buffers that carry features to ONNX Runtime, so a warm container allocates no native memory per
 * request. Buffers are sized in powers of two; a few idle ones are kept, the largest first dropped.
 */
public final class DirectBufferPool {
    private static final int MIN_BYTES = 4096;
    private final int maxIdle;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    /** @param maxIdle how many idle buffers to keep; Lambda serves one request at a time, the local gateway several */
    public DirectBufferPool(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** A cleared direct buffer in native byte order holding at least {@code bytes} bytes. */
    public ByteBuffer acquire(int bytes) {
        synchronized (idle) {
            ByteBuffer best = null;
            for (ByteBuffer candidate : idle) {
                if (candidate.capacity() >= bytes && (best == null || candidate.capacity() < best.capacity())) {
                    best = candidate;
                }
            }
            if (best != null) {
                idle.remove(best);
                best.clear();
                return best;
            }
        }
        int size = Math.max(MIN_BYTES, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1);
        if (size < bytes) {
            size = bytes;
        }
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    public void release(ByteBuffer buffer) {
        synchronized (idle) {
            idle.push(buffer);
            if (idle.size() > maxIdle) {
                ByteBuffer largest = null;
                for (Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
                    ByteBuffer b = it.next();
                    if (largest == null || b.capacity() > largest.capacity()) {
                        largest = b;
                    }
                }
                idle.remove(largest);
            }
        }
    }
}
