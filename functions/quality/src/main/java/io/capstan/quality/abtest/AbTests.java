package io.capstan.quality.abtest;

import io.capstan.quality.metrics.Percentiles;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Champion-against-challenger comparisons. Both say {@link AbVerdict#CHALLENGER_BETTER} or
 * {@link AbVerdict#CHALLENGER_WORSE} only when the two-sided p-value is below alpha and the difference points
 * that way; otherwise, and whenever an arm has no rows, {@link AbVerdict#NOT_YET_KNOWN}.
 */
public final class AbTests {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final double POWER = 0.8;

    private AbTests() {
    }

    /**
     * Compares two success rates (accuracy: correct over labelled rows; higher is better) with the pooled
     * two-proportion z-test. The interval is Wald's, unpooled: difference ± z(1 - alpha/2) ·
     * sqrt(p1(1 - p1)/n1 + p2(1 - p2)/n2). The rows needed per arm are
     * (z(1 - alpha/2) · sqrt(2 p̄(1 - p̄)) + z(0.8) · sqrt(p1(1 - p1) + p2(1 - p2)))² / (p2 - p1)², rounded up, with
     * p1 the champion's rate, p2 = min(p1 + minimumDetectableEffect, 1) and p̄ their mean.
     *
     * @param metric the metric's name, for the record and the reason
     * @param minimumDetectableEffect the smallest difference of rates worth detecting, e.g. 0.02; at least 0
     * @throws IllegalArgumentException when successes exceed rows, a count is negative, alpha is outside (0, 1)
     *     or the effect is negative or NaN
     */
    public static AbComparison proportions(String metric, long championSuccesses, long championRows,
            long challengerSuccesses, long challengerRows, double alpha, double minimumDetectableEffect) {
        Setting setting = new Setting(metric, "two-proportion z-test", true, alpha, minimumDetectableEffect);
        checkCounts("champion", championSuccesses, championRows);
        checkCounts("challenger", challengerSuccesses, challengerRows);
        double p1 = (double) championSuccesses / championRows;
        double p2 = (double) challengerSuccesses / challengerRows;
        long needed = rowsNeeded(p1, alpha, minimumDetectableEffect);
        if (championRows == 0 || challengerRows == 0) {
            return setting.judge(new Estimate(p1, p2, Double.NaN, Double.NaN, Double.NaN, championRows,
                    challengerRows, needed));
        }
        double difference = p2 - p1;
        double pooled = (double) (championSuccesses + challengerSuccesses) / (championRows + challengerRows);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / championRows + 1.0 / challengerRows));
        double pValue = standardError == 0 ? 1 : 2 * STANDARD_NORMAL.survivalProbability(Math.abs(difference
                / standardError));
        double half = z(1 - alpha / 2) * Math.sqrt(p1 * (1 - p1) / championRows + p2 * (1 - p2) / challengerRows);
        return setting.judge(new Estimate(p1, p2, difference - half, difference + half, pValue, championRows,
                challengerRows, needed));
    }

    /**
     * Compares any metric by bootstrap. Each arm is resampled with replacement, independently, from its own
     * stream split off {@code new SplittableRandom(seed)}; the interval is the (alpha/2, 1 - alpha/2) percentile
     * range (numpy's linear percentiles) of the resampled differences, and the p-value twice the smaller share of
     * differences at or below and at or above 0, at least 1/resamples and at most 1. The rows needed per arm come
     * from the normal approximation: the bootstrap standard error se of the difference gives a per-row variance
     * s² = se² / (1/n1 + 1/n2) (the standard error scaled by sqrt(n)), and n = 2 s² (z(1 - alpha/2) + z(0.8))² /
     * minimumDetectableEffect², rounded up; 0 when the effect or se is 0.
     *
     * @param championStatistic the metric on the champion's rows at the given indices; indices repeat, and the
     *     array is reused between calls, so do not keep it; must return a finite number
     * @param minimumDetectableEffect the smallest difference worth detecting, in the metric's units; at least 0
     * @param resamples bootstrap resamples, at least 1
     * @throws IllegalArgumentException on a negative row count, alpha outside (0, 1), a negative or NaN effect,
     *     fewer than 1 resample, or a statistic that is not finite
     */
    public static AbComparison bootstrap(String metric, boolean higherIsBetter, int championRows,
            ToDoubleFunction<int[]> championStatistic, int challengerRows, ToDoubleFunction<int[]> challengerStatistic,
            double alpha, double minimumDetectableEffect, int resamples, long seed) {
        Setting setting = new Setting(metric, "bootstrap (" + resamples + " resamples, seed " + seed + ")",
                higherIsBetter, alpha, minimumDetectableEffect);
        Objects.requireNonNull(championStatistic, "championStatistic");
        Objects.requireNonNull(challengerStatistic, "challengerStatistic");
        checkCounts("champion", 0, championRows);
        checkCounts("challenger", 0, challengerRows);
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        double champion = championRows == 0 ? Double.NaN : statistic(championStatistic, identity(championRows));
        double challenger = challengerRows == 0 ? Double.NaN
                : statistic(challengerStatistic, identity(challengerRows));
        if (championRows == 0 || challengerRows == 0) {
            return setting.judge(new Estimate(champion, challenger, Double.NaN, Double.NaN, Double.NaN, championRows,
                    challengerRows, 0));
        }
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom championRandom = root.split();
        SplittableRandom challengerRandom = root.split();
        int[] championIndices = new int[championRows];
        int[] challengerIndices = new int[challengerRows];
        double[] differences = new double[resamples];
        double sum = 0;
        for (int r = 0; r < resamples; r++) {
            resample(championRandom, championIndices);
            resample(challengerRandom, challengerIndices);
            differences[r] = statistic(challengerStatistic, challengerIndices)
                    - statistic(championStatistic, championIndices);
            sum += differences[r];
        }
        long atOrBelow = Arrays.stream(differences).filter(d -> d <= 0).count();
        long atOrAbove = Arrays.stream(differences).filter(d -> d >= 0).count();
        double pValue = Math.min(1, Math.max(1.0 / resamples, 2.0 * Math.min(atOrBelow, atOrAbove) / resamples));
        double mean = sum / resamples;
        double squares = 0;
        for (double d : differences) {
            squares += (d - mean) * (d - mean);
        }
        double standardError = resamples > 1 ? Math.sqrt(squares / (resamples - 1)) : Double.NaN;
        double perRowVariance = standardError * standardError / (1.0 / championRows + 1.0 / challengerRows);
        long needed = minimumDetectableEffect > 0 && standardError > 0
                ? (long) Math.ceil(2 * perRowVariance * Math.pow(z(1 - alpha / 2) + z(POWER), 2)
                        / (minimumDetectableEffect * minimumDetectableEffect))
                : 0;
        Arrays.sort(differences);
        return setting.judge(new Estimate(champion, challenger, Percentiles.linear(differences, 50 * alpha),
                Percentiles.linear(differences, 100 - 50 * alpha), pValue, championRows, challengerRows, needed));
    }

    private static long rowsNeeded(double p1, double alpha, double minimumDetectableEffect) {
        double p2 = Math.min(p1 + minimumDetectableEffect, 1.0);
        if (!(p2 > p1)) {
            return 0;
        }
        double pBar = (p1 + p2) / 2;
        double root = z(1 - alpha / 2) * Math.sqrt(2 * pBar * (1 - pBar))
                + z(POWER) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return (long) Math.ceil(root * root / ((p2 - p1) * (p2 - p1)));
    }

    private static double z(double p) {
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    private static void checkCounts(String arm, long successes, long rows) {
        if (rows < 0 || successes < 0 || successes > rows) {
            throw new IllegalArgumentException(arm + " has " + successes + " successes in " + rows
                    + " rows; rows must not be negative and successes must be between 0 and rows");
        }
    }

    private static int[] identity(int rows) {
        int[] indices = new int[rows];
        Arrays.setAll(indices, i -> i);
        return indices;
    }

    private static void resample(SplittableRandom random, int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            indices[i] = random.nextInt(indices.length);
        }
    }

    private static double statistic(ToDoubleFunction<int[]> statistic, int[] indices) {
        double value = statistic.applyAsDouble(indices);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("the statistic returned " + value + " on " + indices.length
                    + " rows; it must return a finite number for any resample");
        }
        return value;
    }

    /** The figures one test produced. */
    private record Estimate(double champion, double challenger, double low, double high, double pValue,
            long championRows, long challengerRows, long rowsNeeded) {
    }

    /** What is compared and how; turns an estimate into the comparison, its verdict and its reason. */
    private record Setting(String metric, String test, boolean higherIsBetter, double alpha, double effect) {

        Setting {
            Objects.requireNonNull(metric, "metric");
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1), e.g. 0.05, got " + alpha);
            }
            if (!(effect >= 0) || Double.isInfinite(effect)) {
                throw new IllegalArgumentException("minimumDetectableEffect must be a finite number >= 0, got "
                        + effect);
            }
        }

        AbComparison judge(Estimate e) {
            double difference = e.challenger() - e.champion();
            AbVerdict verdict = AbVerdict.NOT_YET_KNOWN;
            if (e.pValue() < alpha && difference != 0) {
                verdict = (difference > 0) == higherIsBetter ? AbVerdict.CHALLENGER_BETTER : AbVerdict.CHALLENGER_WORSE;
            }
            return new AbComparison(metric, test, higherIsBetter, e.champion(), e.challenger(), difference, e.low(),
                    e.high(), e.pValue(), alpha, e.championRows(), e.challengerRows(), e.rowsNeeded(), effect, verdict,
                    reason(e, difference, verdict), null, null);
        }

        private String reason(Estimate e, double difference, AbVerdict verdict) {
            String on = metric + (higherIsBetter ? "" : " (lower is better)");
            if (e.championRows() == 0 || e.challengerRows() == 0) {
                String who = e.championRows() == 0 && e.challengerRows() == 0 ? "neither arm has"
                        : (e.championRows() == 0 ? "the champion has no" : "the challenger has no");
                return "Not yet known whether the challenger differs on " + on + ": " + who + " labelled rows yet"
                        + needed(e) + ".";
            }
            String opening = switch (verdict) {
                case CHALLENGER_BETTER -> "The challenger is better on " + on;
                case CHALLENGER_WORSE -> "The challenger is worse on " + on;
                case NOT_YET_KNOWN -> "Not yet known whether the challenger differs on " + on;
            };
            return String.format(Locale.ROOT, "%s: %s against %s for the champion (difference %s, %s interval %s to "
                    + "%s, p = %.3g %s %s; %d challenger and %d champion rows)%s.", opening, number(e.challenger()),
                    number(e.champion()), signed(difference), percent(1 - alpha), signed(e.low()), signed(e.high()),
                    e.pValue(), e.pValue() < alpha ? "<" : ">=", plain(alpha), e.challengerRows(), e.championRows(),
                    verdict == AbVerdict.NOT_YET_KNOWN ? needed(e) : "");
        }

        private String needed(Estimate e) {
            return e.rowsNeeded() == 0 ? "" : "; about " + e.rowsNeeded() + " labelled rows per arm would detect a "
                    + "difference of " + plain(effect);
        }

        private static String number(double v) {
            double a = Math.abs(v);
            return String.format(Locale.ROOT, a == 0 || (a >= 1e-3 && a < 1e6) ? "%.4f" : "%.4g", v);
        }

        private static String plain(double v) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }

        private static String signed(double v) {
            return (v >= 0 ? "+" : "") + number(v);
        }

        private static String percent(double share) {
            double p = share * 100;
            return (Math.abs(p - Math.rint(p)) < 1e-9 ? String.valueOf((long) Math.rint(p))
                    : String.format(Locale.ROOT, "%.1f", p)) + "%";
        }
    }
}
