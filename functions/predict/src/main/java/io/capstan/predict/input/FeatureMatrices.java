package io.capstan.predict.input;

/** Creates the builders that readers fill: the buffer pool and the row limit in one place. */
public final class FeatureMatrices {
    private final DirectBufferPool pool;
    private final InputLimits limits;

    public FeatureMatrices(DirectBufferPool pool, InputLimits limits) {
        this.pool = pool;
        this.limits = limits;
    }

    public InputLimits limits() {
        return limits;
    }

    /** A builder sized for {@code expectedRows} rows (it grows when needed, up to the row limit). */
    FeatureMatrixBuilder builder(FeatureColumns columns, int expectedRows) {
        return new FeatureMatrixBuilder(columns, Math.max(1, Math.min(expectedRows, limits.maxRows())),
                limits.maxRows(), pool);
    }
}
