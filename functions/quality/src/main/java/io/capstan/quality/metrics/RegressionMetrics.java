package io.capstan.quality.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Regression quality as scikit-learn 1.2 and NumPy compute it: {@code mean_absolute_error},
 * {@code sqrt(mean_squared_error)}, {@code r2_score}, {@code numpy.percentile} (linear) of the residuals
 * actual - predicted and {@code numpy.histogram(residuals, bins=20)}.
 */
public final class RegressionMetrics {
    private static final int HISTOGRAM_BINS = 20;
    private static final int[] QUANTILES = {5, 25, 50, 75, 95};

    private RegressionMetrics() {
    }

    /**
     * Measures predictions against actual values, row by row.
     *
     * @param actual the true values, finite
     * @param predicted the model's values, finite, as many as {@code actual}; empty gives rows = 0 and NaN figures
     * @throws IllegalArgumentException when the arrays differ in length or hold a NaN or infinite value
     */
    public static RegressionQuality of(double[] actual, double[] predicted) {
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(predicted, "predicted");
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " values but predicted has "
                    + predicted.length + "; pass one prediction per actual value");
        }
        int n = actual.length;
        Map<String, Double> quantiles = new LinkedHashMap<>();
        if (n == 0) {
            for (int q : QUANTILES) {
                quantiles.put("p" + q, Double.NaN);
            }
            return new RegressionQuality(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, quantiles, List.of());
        }
        double[] residuals = new double[n];
        double absolute = 0;
        double squared = 0;
        double residualSum = 0;
        double actualSum = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(actual[i]) || !Double.isFinite(predicted[i])) {
                throw new IllegalArgumentException("row " + i + " has actual " + actual[i] + " and predicted "
                        + predicted[i] + "; both must be finite numbers");
            }
            residuals[i] = actual[i] - predicted[i];
            absolute += Math.abs(residuals[i]);
            squared += residuals[i] * residuals[i];
            residualSum += residuals[i];
            actualSum += actual[i];
        }
        double actualMean = actualSum / n;
        double total = 0;
        for (double a : actual) {
            total += (a - actualMean) * (a - actualMean);
        }
        double r2 = total == 0 ? (squared == 0 ? 1 : 0) : 1 - squared / total;
        double[] sorted = residuals.clone();
        Arrays.sort(sorted);
        for (int q : QUANTILES) {
            quantiles.put("p" + q, Percentiles.linear(sorted, q));
        }
        return new RegressionQuality(n, absolute / n, Math.sqrt(squared / n), r2, residualSum / n, quantiles,
                histogram(residuals, sorted[0], sorted[n - 1]));
    }

    /** numpy.histogram with equal bins: [edge i, edge i+1), the last bin closed, indices corrected near edges. */
    private static List<ResidualBin> histogram(double[] values, double min, double max) {
        double first = min == max ? min - 0.5 : min;
        double last = min == max ? max + 0.5 : max;
        double[] edges = UniformEdges.of(first, last, HISTOGRAM_BINS);
        double norm = HISTOGRAM_BINS / (last - first);
        long[] counts = new long[HISTOGRAM_BINS];
        for (double v : values) {
            int bin = Math.min((int) ((v - first) * norm), HISTOGRAM_BINS - 1);
            if (v < edges[bin]) {
                bin--;
            }
            if (v >= edges[bin + 1] && bin != HISTOGRAM_BINS - 1) {
                bin++;
            }
            counts[bin]++;
        }
        List<ResidualBin> bins = new ArrayList<>(HISTOGRAM_BINS);
        for (int b = 0; b < HISTOGRAM_BINS; b++) {
            bins.add(new ResidualBin(edges[b], edges[b + 1], counts[b]));
        }
        return bins;
    }
}
