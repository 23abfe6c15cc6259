package io.capstan.drift.monitoring;

import io.capstan.monitoring.CaptureKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The captured-traffic sketches of a time window. The predict function flushes one object per container and
 * interval ({@link CaptureKeys}: {@code capture/<model>/<version>/<UTC hour>/<flush time>-<container>.sketch}); a
 * window reads the hour folders it overlaps and keeps the objects flushed inside it.
 *
 * @param from exclusive start
 * @param to   inclusive end
 */
public record CaptureWindow(Instant from, Instant to) {

    public CaptureWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("window start " + from + " is not before its end " + to);
        }
    }

    /** The hour folders the window overlaps, oldest first. */
    public List<String> hourPrefixes(String model, String version) {
        List<String> prefixes = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); !hour.isAfter(to); hour = hour.plus(1, ChronoUnit.HOURS)) {
            prefixes.add(CaptureKeys.hourFolder(model, version, hour));
        }
        return prefixes;
    }

    /**
     * Whether an object holds traffic of this window: a sketch flushed inside it (by the time in its name, else by
     * when it was stored).
     */
    public boolean contains(String key, long lastModified) {
        if (!key.endsWith(CaptureKeys.SUFFIX)) {
            return false;
        }
        long flushed = CaptureKeys.flushedAt(key).orElse(lastModified);
        return flushed > from.toEpochMilli() && flushed <= to.toEpochMilli();
    }
}
