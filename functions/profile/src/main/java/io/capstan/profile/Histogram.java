package io.capstan.profile;

import io.capstan.profile.internal.SortedColumns;
import java.util.List;

/**
 * Counts of a numeric column in bins cut at {@code edges}: bin 0 is {@code (-inf, edges[0]]}, bin i is
 * {@code (edges[i-1], edges[i]]}, the last is {@code (edges[last], +inf)}. So there is one more count than
 * edges, values beyond the reference range still fall in a bin, and a value equal to an edge belongs to the
 * bin below it.
 *
 * @param edges strictly increasing finite cut points (none for a column with a single value)
 * @param counts {@code edges.size() + 1} non-negative counts
 */
public record Histogram(List<Double> edges, List<Long> counts) {
    /** Reference quantile levels of the decile cut points. */
    public static final double[] DECILE_LEVELS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    public Histogram {
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
        if (counts.size() != edges.size() + 1) {
            throw new InvalidProfileException("Histogram has " + edges.size() + " edges and " + counts.size()
                    + " counts; it needs one count more than edges.");
        }
        for (int i = 0; i < edges.size(); i++) {
            double e = edges.get(i);
            if (!Double.isFinite(e) || (i > 0 && e <= edges.get(i - 1))) {
                throw new InvalidProfileException("Histogram edges must be finite and strictly increasing: " + edges);
            }
        }
        for (long c : counts) {
            if (c < 0) {
                throw new InvalidProfileException("Histogram count " + c + " is negative.");
            }
        }
    }

    /**
     * The decile histogram of a column: edges are the 10%..90% quantiles of {@code sorted} by linear
     * interpolation (numpy's default {@code np.quantile(..., method='linear')}), duplicates removed (so a column
     * with many ties gets fewer bins), and the column's own counts in those bins.
     *
     * @param sorted finite values in ascending order, at least one
     */
    public static Histogram onDeciles(double[] sorted) {
        double[] edges = SortedColumns.distinct(SortedColumns.quantiles(sorted, DECILE_LEVELS));
        return new Histogram(SortedColumns.boxed(edges), SortedColumns.boxed(SortedColumns.binCounts(sorted, edges)));
    }

    /** The edges as an array. */
    public double[] edgeArray() {
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Counts of another column, ascending {@code sorted}, in this histogram's bins. */
    public long[] countsOf(double[] sorted) {
        return SortedColumns.binCounts(sorted, edgeArray());
    }

    /** Sum of the counts. */
    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
