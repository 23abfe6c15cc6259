package io.capstan.predict.input;

/**
 * Bounds on the work one request can cause.
 *
 * @param maxRows     the most rows one request may carry; Lambda's 6 MB payload limit caps a batch too (about 20,000
 *                    rows of 30 features)
 * @param maxElements the most values one request may carry on the tensor path, over all its inputs (an image batch
 *                    of 16 × 3 × 224 × 224 is 2.4 million); a request over it is answered 413
 */
public record InputLimits(int maxRows, long maxElements) {
    /** The default row limit per request. */
    public static final int DEFAULT_MAX_ROWS = 10_000;
    /** The default limit on values per request. */
    public static final long DEFAULT_MAX_ELEMENTS = 4_000_000;

    public InputLimits {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements must be at least 1, got " + maxElements);
        }
    }

    /** A row limit with the default limit on values. */
    public InputLimits(int maxRows) {
        this(maxRows, DEFAULT_MAX_ELEMENTS);
    }

    public static InputLimits defaults() {
        return new InputLimits(DEFAULT_MAX_ROWS, DEFAULT_MAX_ELEMENTS);
    }
}
