package io.capstan.drift.internal;

import io.capstan.profile.Histogram;
import io.capstan.profile.internal.CompensatedSum;
import io.capstan.profile.internal.SortedColumns;

/**
 * Distances between two ascending numeric samples, computed as the Python reference does (see
 * {@code src/test/python/make_golden.py}).
 */
public final class NumericStatistics {
    /** Evidently's floor under the reference standard deviation in the normed Wasserstein distance. */
    public static final double MIN_STD = 0.001;
    /** Evidently's bin count for numeric Jensen-Shannon. */
    public static final int JS_BINS = 30;
    /** Above this many distinct reference values Evidently bins numeric columns for Jensen-Shannon. */
    public static final int JS_MAX_DISCRETE = 20;

    private NumericStatistics() {
    }

    /** {@code scipy.stats.wasserstein_distance(a, b)}: integral of |F_a - F_b| over the merged values. */
    public static double wasserstein(double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        int i = 0;
        int j = 0;
        CompensatedSum sum = new CompensatedSum();
        double previous = Math.min(a[0], b[0]);
        while (i < n || j < m) {
            double x = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
            if (x > previous) {
                sum.add(Math.abs((double) i / n - (double) j / m) * (x - previous));
            }
            while (i < n && a[i] <= x) {
                i++;
            }
            while (j < m && b[j] <= x) {
                j++;
            }
            previous = x;
        }
        return sum.value();
    }

    /** Evidently's normed Wasserstein: the distance over max(population std of the reference, 0.001). */
    public static double normedWasserstein(double[] reference, double[] current, double referenceStd) {
        return wasserstein(reference, current) / Math.max(referenceStd, MIN_STD);
    }

    /** PSI on the reference's decile bins ({@link Histogram#onDeciles}). */
    public static double psi(double[] reference, double[] current) {
        Histogram bins = Histogram.onDeciles(reference);
        return Divergences.psi(proportions(bins.countsOf(reference), reference.length),
                proportions(bins.countsOf(current), current.length));
    }

    /**
     * Evidently's {@code jensenshannon} for a numeric column: with more than {@value #JS_MAX_DISCRETE} distinct
     * reference values, 30 equal-width bins over the combined range ({@code np.histogram_bin_edges(concat, 30)},
     * bins [e_i, e_i+1), the last closed); otherwise one bin per value seen in either sample.
     */
    public static double jensenShannon(double[] reference, double[] current, long referenceDistinct) {
        double[][] pq = referenceDistinct > JS_MAX_DISCRETE ? equalWidthProportions(reference, current)
                : perValueProportions(reference, current);
        return Divergences.jensenShannon(Divergences.fillZeroes(pq[0]), Divergences.fillZeroes(pq[1]));
    }

    /** {reference, current} proportions in 30 equal-width bins over the combined range. */
    public static double[][] equalWidthProportions(double[] reference, double[] current) {
        double[] edges = equalWidthEdges(Math.min(reference[0], current[0]),
                Math.max(reference[reference.length - 1], current[current.length - 1]), JS_BINS);
        return new double[][] {histogram(reference, edges), histogram(current, edges)};
    }

    /** {@code np.histogram_bin_edges} for {@code bins} equal bins on [min, max] (numpy's linspace arithmetic). */
    public static double[] equalWidthEdges(double min, double max, int bins) {
        if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        double[] edges = new double[bins + 1];
        double step = (max - min) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = i * step + min;
        }
        edges[bins] = max;
        return edges;
    }

    /** {@code np.histogram(sorted, edges)[0] / len(sorted)}. */
    static double[] histogram(double[] sorted, double[] edges) {
        double[] out = new double[edges.length - 1];
        int below = SortedColumns.countBelow(sorted, edges[0]);
        for (int i = 1; i < edges.length; i++) {
            int upTo = i == edges.length - 1 ? SortedColumns.countAtMost(sorted, edges[i])
                    : SortedColumns.countBelow(sorted, edges[i]);
            out[i - 1] = (double) (upTo - below) / sorted.length;
            below = upTo;
        }
        return out;
    }

    private static double[][] perValueProportions(double[] reference, double[] current) {
        double[] keys = SortedColumns.distinct(merge(reference, current));
        double[] p = new double[keys.length];
        double[] q = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            p[i] = (double) (SortedColumns.countAtMost(reference, keys[i]) - SortedColumns.countBelow(reference,
                    keys[i])) / reference.length;
            q[i] = (double) (SortedColumns.countAtMost(current, keys[i]) - SortedColumns.countBelow(current, keys[i]))
                    / current.length;
        }
        return new double[][] {p, q};
    }

    /** Distinct values across both ascending samples, counted up to {@code cap} (then {@code cap} is returned). */
    public static long distinctUnion(double[] a, double[] b, long cap) {
        int i = 0;
        int j = 0;
        long distinct = 0;
        while ((i < a.length || j < b.length) && distinct < cap) {
            double x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            distinct++;
        }
        return distinct;
    }

    private static double[] merge(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            out[k++] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
        }
        return out;
    }

    public static double[] proportions(long[] counts, long total) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (double) counts[i] / total;
        }
        return out;
    }
}
