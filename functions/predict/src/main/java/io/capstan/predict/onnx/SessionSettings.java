package io.capstan.predict.onnx;

/**
 * How sessions are created and how many stay loaded.
 *
 * @param intraOpThreads  ONNX Runtime threads per inference; 1 avoids a spinning thread pool on Lambda, where one
 *                        request runs at a time and small models finish in microseconds
 * @param maxLoadedModels loaded sessions kept per container; the least recently used beyond it is closed
 */
public record SessionSettings(int intraOpThreads, int maxLoadedModels) {
    public SessionSettings {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + intraOpThreads);
        }
        if (maxLoadedModels < 1) {
            throw new IllegalArgumentException("maxLoadedModels must be at least 1, got " + maxLoadedModels);
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(1, 16);
    }
}
