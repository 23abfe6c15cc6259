package io.capstan.quality.metrics;

/**
 * One bin of the residual histogram: residuals in [lower, upper), the last bin closed on both sides.
 *
 * @param lower lower edge, in the target's units
 * @param upper upper edge, in the target's units
 * @param count residuals in the bin
 */
public record ResidualBin(double lower, double upper, long count) {

    public ResidualBin {
        if (count < 0) {
            throw new IllegalArgumentException("a residual bin count must not be negative, got " + count);
        }
    }
}
