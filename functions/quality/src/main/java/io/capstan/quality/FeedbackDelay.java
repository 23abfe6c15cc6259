package io.capstan.quality;

import io.capstan.quality.metrics.Percentiles;
import java.util.Arrays;

/**
 * How long ground truth took to arrive: the time from a prediction to its label, over the labelled predictions.
 *
 * @param labelled labelled predictions measured
 * @param p50Seconds median delay, in seconds; NaN without labels
 * @param p90Seconds 90th percentile of the delay, in seconds; NaN without labels
 * @param maxSeconds longest delay, in seconds; NaN without labels
 */
public record FeedbackDelay(long labelled, double p50Seconds, double p90Seconds, double maxSeconds) {

    public FeedbackDelay {
        if (labelled < 0) {
            throw new IllegalArgumentException("labelled must not be negative, got " + labelled);
        }
    }

    /** No labels yet: every delay NaN. */
    public static FeedbackDelay none() {
        return new FeedbackDelay(0, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * The delays' median, 90th percentile (numpy's linear percentiles) and maximum.
     *
     * @param delaysSeconds one delay per labelled prediction, in seconds; not modified
     */
    public static FeedbackDelay of(double[] delaysSeconds) {
        if (delaysSeconds.length == 0) {
            return none();
        }
        double[] sorted = delaysSeconds.clone();
        Arrays.sort(sorted);
        return new FeedbackDelay(sorted.length, Percentiles.linear(sorted, 50), Percentiles.linear(sorted, 90),
                sorted[sorted.length - 1]);
    }
}
