package io.capstan.predict.capture;

/** Where flushed sketches go: an object store. */
@FunctionalInterface
public interface CaptureSink {

    /**
     * Stores one flushed sketch. Writing the same key twice writes the same bytes: a flush that failed after all is
     * written again under its first key, so a sketch is never counted twice.
     *
     * @throws RuntimeException when it was not stored; the capture keeps the sketch and retries at its next flush
     */
    void write(String key, byte[] sketch);
}
