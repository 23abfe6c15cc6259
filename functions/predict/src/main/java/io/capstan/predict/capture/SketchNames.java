package io.capstan.predict.capture;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names of one container's flushed sketches, in the layout the drift check lists
 * ({@link io.capstan.monitoring.CaptureKeys}). The container is 12 random hex digits chosen when the container starts
 * (and again after a SnapStart restore); the milliseconds are the flush time, made strictly increasing within a
 * container so that two sketches never share a name.
 */
final class SketchNames {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String container;
    private final AtomicLong lastMillis = new AtomicLong();

    SketchNames(String container) {
        this.container = container;
    }

    /** Keys for a newly started container. */
    static SketchNames newContainer() {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        return new SketchNames(HexFormat.of().formatHex(id));
    }

    String container() {
        return container;
    }

    /** The key of a sketch of {@code model} version {@code version} flushed at {@code now} (epoch ms). */
    String next(String model, String version, long now) {
        long millis = lastMillis.updateAndGet(previous -> Math.max(previous + 1, now));
        return io.capstan.monitoring.CaptureKeys.sketch(model, version, millis, container);
    }
}
