package io.capstan.quality.abtest;

import java.util.Objects;

/**
 * The comparison of a challenger model version with the champion on one metric. Figures that an arm without rows
 * leaves undefined are NaN.
 *
 * @param metric the metric compared, e.g. {@code accuracy} or {@code mae}
 * @param test {@code "two-proportion z-test"} or {@code "bootstrap (n resamples, seed s)"}
 * @param higherIsBetter whether a higher value of the metric is better
 * @param champion the champion's value of the metric
 * @param challenger the challenger's value of the metric
 * @param difference challenger - champion
 * @param confidenceLow lower end of the (1 - alpha) interval of the difference
 * @param confidenceHigh upper end of the (1 - alpha) interval of the difference
 * @param pValue two-sided p-value of no difference
 * @param alpha significance level, in (0, 1)
 * @param championRows labelled rows of the champion
 * @param challengerRows labelled rows of the challenger
 * @param rowsNeededPerArm labelled rows each arm needs to detect {@code minimumDetectableEffect} at power 0.8
 *     and level alpha; 0 when not computable
 * @param minimumDetectableEffect the smallest difference worth detecting, in the metric's units
 * @param verdict better, worse or not yet known
 * @param reason one sentence for a person, with the figures
 * @param championVersion the model version compared as the champion; null when the comparison names none
 * @param challengerVersion the model version compared as the challenger; null when the comparison names none
 */
public record AbComparison(String metric, String test, boolean higherIsBetter, double champion, double challenger,
        double difference, double confidenceLow, double confidenceHigh, double pValue, double alpha,
        long championRows, long challengerRows, long rowsNeededPerArm, double minimumDetectableEffect,
        AbVerdict verdict, String reason, String championVersion, String challengerVersion) {

    public AbComparison {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        if (championRows < 0 || challengerRows < 0 || rowsNeededPerArm < 0) {
            throw new IllegalArgumentException("row counts must not be negative: champion " + championRows
                    + ", challenger " + challengerRows + ", needed per arm " + rowsNeededPerArm);
        }
    }

    /** The same comparison, naming the model versions it compared. */
    public AbComparison withVersions(String champion, String challenger) {
        return new AbComparison(metric, test, higherIsBetter, this.champion, this.challenger, difference, confidenceLow,
                confidenceHigh, pValue, alpha, championRows, challengerRows, rowsNeededPerArm, minimumDetectableEffect,
                verdict, reason, champion, challenger);
    }
}
