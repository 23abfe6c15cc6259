package io.capstan.predict.capture;

import io.capstan.profile.SketchParameters;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How traffic is captured.
 *
 * @param flushInterval    the longest a captured row waits before its sketch is flushed (while traffic flows: in
 *                         Lambda a flush runs inside a request, so an idle container flushes at its next request)
 * @param maxRowsPerSketch a sketch is flushed early once it holds this many rows
 * @param sketch           the sketches' sizes; every container must use the same, so that a window's sketches merge
 * @param schemaRetry      how long a version whose reference profile could not be read goes uncaptured before the
 *                         next attempt
 * @param exactRows        a request of at most this many rows has every row folded; a larger one is sampled down to
 *                         about this many rows, each standing for its stratum (see {@link SketchCapture})
 */
public record CaptureSettings(Duration flushInterval, long maxRowsPerSketch, SketchParameters sketch,
                              Duration schemaRetry, int exactRows) {
    /** The environment variable that turns capture {@code on} (the default) or {@code off}. */
    public static final String SWITCH_ENV = "CAPSTAN_CAPTURE";
    /** The environment variable that sets {@link #exactRows()}: a positive integer. */
    public static final String EXACT_ROWS_ENV = "CAPSTAN_CAPTURE_EXACT_ROWS";
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_ROWS_PER_SKETCH = 1_000_000;
    public static final Duration DEFAULT_SCHEMA_RETRY = Duration.ofSeconds(30);
    /** Rows of a request folded one by one before sampling starts; see {@code docs/PERFORMANCE-predict.md}. */
    public static final int DEFAULT_EXACT_ROWS = 4;

    public CaptureSettings {
        Objects.requireNonNull(sketch, "sketch");
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("the capture flush interval must be positive, got " + flushInterval);
        }
        if (maxRowsPerSketch < 1) {
            throw new IllegalArgumentException("maxRowsPerSketch must be at least 1, got " + maxRowsPerSketch);
        }
        if (schemaRetry == null || schemaRetry.isNegative()) {
            throw new IllegalArgumentException("schemaRetry must not be negative, got " + schemaRetry);
        }
        if (exactRows < 1) {
            throw new IllegalArgumentException("exactRows must be at least 1, got " + exactRows);
        }
    }

    /**
     * Every 60 s or 1,000,000 rows, KLL k = 1000 (the trainer's reference sketches' size), retry after 30 s, requests
     * of up to 4 rows folded whole.
     */
    public static CaptureSettings defaults() {
        return new CaptureSettings(DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_ROWS_PER_SKETCH, SketchParameters.defaults(),
                DEFAULT_SCHEMA_RETRY, DEFAULT_EXACT_ROWS);
    }

    public CaptureSettings withFlushInterval(Duration interval) {
        return new CaptureSettings(interval, maxRowsPerSketch, sketch, schemaRetry, exactRows);
    }

    public CaptureSettings withMaxRowsPerSketch(long rows) {
        return new CaptureSettings(flushInterval, rows, sketch, schemaRetry, exactRows);
    }

    public CaptureSettings withExactRows(int rows) {
        return new CaptureSettings(flushInterval, maxRowsPerSketch, sketch, schemaRetry, rows);
    }

    /**
     * These settings with {@link #exactRows()} from {@value #EXACT_ROWS_ENV} when it is set.
     *
     * @throws IllegalArgumentException when it is set to anything but a positive integer, naming it
     */
    public CaptureSettings withEnvironment(Map<String, String> environment) {
        String value = environment.get(EXACT_ROWS_ENV);
        if (value == null || value.isBlank()) {
            return this;
        }
        try {
            int rows = Integer.parseInt(value.trim());
            if (rows >= 1) {
                return withExactRows(rows);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(EXACT_ROWS_ENV + " is '" + value + "'; set it to a positive number of rows"
                + " (unset means " + DEFAULT_EXACT_ROWS + ").");
    }

    /**
     * Whether {@value #SWITCH_ENV} leaves capture on: unset, blank or {@code on} is on, {@code off} is off (any case).
     *
     * @throws IllegalArgumentException for any other value, naming the two that work
     */
    public static boolean enabled(Map<String, String> environment) {
        return onUnlessOff(environment, SWITCH_ENV);
    }

    /**
     * Whether the switch {@code name} is on: unset, blank or {@code on} is on, {@code off} is off (any case).
     *
     * @throws IllegalArgumentException for any other value, naming the two that work
     */
    static boolean onUnlessOff(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(name + " is '" + value + "'; set it to 'on' or 'off'"
                    + " (unset means on).");
        };
    }
}
