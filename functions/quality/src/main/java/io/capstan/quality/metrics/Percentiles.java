package io.capstan.quality.metrics;

/** Percentiles as {@code numpy.percentile(values, percent)} computes them with its default linear method. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The percentile of sorted values, interpolating linearly between the two nearest ranks.
     *
     * @param sorted values in ascending order, not empty, not modified
     * @param percent in [0, 100]
     * @throws IllegalArgumentException when {@code sorted} is empty or {@code percent} is outside [0, 100]
     */
    public static double linear(double[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("the percentile of no values is undefined; pass at least one value");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in [0, 100], got " + percent);
        }
        double virtual = (sorted.length - 1) * (percent / 100);
        if (virtual >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        int below = (int) Math.floor(virtual);
        double a = sorted[below];
        double b = sorted[below + 1];
        double gamma = virtual - below;
        double difference = b - a;
        // numpy's _lerp: from the nearer end, so that gamma = 1 gives b exactly
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
    }
}
