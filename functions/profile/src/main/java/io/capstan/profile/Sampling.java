package io.capstan.profile;

/**
 * How a column's values were sampled, when they were (traffic capture samples the rows of large requests): each sampled
 * value stands for the w rows of its stratum, drawn uniformly among them. Rows folded alone are not part of it.
 *
 * <p><b>Error.</b> For any x, the estimated count of values {@code <= x} (or of one category) is a sum of independent
 * terms, one per sampled stratum, each within a range of its weight, so by Hoeffding's inequality it is within
 * {@link #countError()} = {@code sqrt(ln(2 / 0.01) V / 2)} of the true count with probability 99% (KLL's own
 * confidence). <b>Significance.</b> Tests that take a sample size (KS, chi-square, z) use Kish's effective size
 * {@code n² / (V + n - S)} ({@link #effectiveCount}), not the weighted count, which would overstate significance.
 *
 * @param weightSquares V, the sum of the squared weights of the sampled values
 * @param weight        S, the sum of their weights (the rows they stand for)
 */
public record Sampling(double weightSquares, double weight) {
    /** The confidence of {@link #countError()}. */
    public static final double DELTA = 0.01;

    public Sampling {
        if (!(weightSquares > 0) || Double.isInfinite(weightSquares) || !(weight > 0) || Double.isInfinite(weight)
                || weightSquares < weight) {
            throw new InvalidProfileException("A column's sampling must have positive, finite weights, with the sum of"
                    + " their squares at least their sum; got " + weightSquares + " and " + weight + ".");
        }
    }

    /** Hoeffding's bound on a count's error at {@value #DELTA}. */
    public double countError() {
        return Math.sqrt(Math.log(2 / DELTA) * weightSquares / 2);
    }

    /** {@link #countError()} over the column's count of {@code count} values, at most 1: a normalized rank error. */
    public double rankError(long count) {
        return Math.min(1, countError() / Math.max(count, 1));
    }

    /** Kish's effective sample size of a column of {@code count} values (weighted), between 1 and count. */
    public double effectiveCount(long count) {
        double squares = weightSquares + Math.max(0, count - weight);
        return Math.max(1, Math.min(count, (double) count * count / squares));
    }
}
