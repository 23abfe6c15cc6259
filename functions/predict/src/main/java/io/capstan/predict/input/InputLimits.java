package io.capstan.predict.input;

/**
 * Bounds on one request's batch.
 *
 * @param maxRows the most rows one request may carry; Lambda's 6 MB payload limit caps a batch too (about 20,000 rows
 *                of 30 features)
 */
public record InputLimits(int maxRows) {
    /** The default row limit per request. */
    public static final int DEFAULT_MAX_ROWS = 10_000;

    public InputLimits {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
    }

    public static InputLimits defaults() {
        return new InputLimits(DEFAULT_MAX_ROWS);
    }
}
