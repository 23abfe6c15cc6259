package io.capstan.drift.internal;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * The CDF a KLL sketch estimates, as a step function over its retained items (the sketch's sorted view), with the
 * sketch's error bounds: {@code rankError} for one CDF value,
 * {@code massError} for the mass between two (both 0 while the sketch is exact). A sketch of sampled rows (traffic
 * capture samples large requests) adds the sampling's bound to both, and is never exact.
 */
public final class SketchCdf {
    private final double[] items;
    private final long[] cumulative;
    private final double n;
    private final double rankError;
    private final double massError;
    private final boolean exact;

    public SketchCdf(KllDoublesSketch sketch) {
        this(sketch, 0);
    }

    /** With {@code samplingRankError}, the bound sampling adds (a profile's {@code samplingRankError}). */
    public SketchCdf(KllDoublesSketch sketch, double samplingRankError) {
        DoublesSortedView view = sketch.getSortedView();
        this.items = view.getQuantiles();
        this.cumulative = view.getCumulativeWeights();
        this.n = view.getN();
        boolean folded = !sketch.isEstimationMode();
        this.exact = folded && samplingRankError == 0;
        this.rankError = (folded ? 0 : sketch.getNormalizedRankError(false)) + samplingRankError;
        this.massError = (folded ? 0 : sketch.getNormalizedRankError(true)) + samplingRankError;
    }

    public double rankError() {
        return rankError;
    }

    public double massError() {
        return massError;
    }

    /** Whether the sketch still holds every value it saw. */
    public boolean exact() {
        return exact;
    }

    public long n() {
        return (long) n;
    }

    public double min() {
        return items[0];
    }

    public double max() {
        return items[items.length - 1];
    }

    /** The distinct retained items, ascending. */
    public double[] distinctItems() {
        return io.capstan.profile.internal.SortedColumns.distinct(items);
    }

    /** Estimated share of values {@code <= x}. */
    public double atMost(double x) {
        int i = io.capstan.profile.internal.SortedColumns.countAtMost(items, x);
        return i == 0 ? 0 : cumulative[i - 1] / n;
    }

    /** Estimated share of values {@code < x}. */
    public double below(double x) {
        int i = io.capstan.profile.internal.SortedColumns.countBelow(items, x);
        return i == 0 ? 0 : cumulative[i - 1] / n;
    }

    /**
     * This CDF on a fixed grid of {@code g} points: the i-th is the smallest item whose CDF reaches i / g. As a step
     * function with steps of 1 / g it is below this CDF and within 1 / g of it everywhere, whatever the number of
     * retained items, so work on it costs the same at any stream length.
     */
    public SketchCdf onGrid(int g) {
        double[] points = new double[g];
        long[] cum = new long[g];
        int at = 0;
        for (int i = 1; i <= g; i++) {
            double target = n * i / g;
            while (at < items.length - 1 && cumulative[at] < target) {
                at++;
            }
            points[i - 1] = items[at];
            cum[i - 1] = i;
        }
        return new SketchCdf(points, cum, g, rankError, massError, exact);
    }

    private SketchCdf(double[] items, long[] cumulative, double n, double rankError, double massError,
            boolean exact) {
        this.items = items;
        this.cumulative = cumulative;
        this.n = n;
        this.rankError = rankError;
        this.massError = massError;
        this.exact = exact;
    }

    /**
     * {sup |F_a - F_b|, integral |F_a - F_b| dx} of two step CDFs, evaluated exactly on the union of their jump
     * points.
     */
    public static double[] supAndIntegral(SketchCdf a, SketchCdf b) {
        int i = 0;
        int j = 0;
        double sup = 0;
        double integral = 0;
        double previous = Double.NaN;
        double gap = 0;
        while (i < a.items.length || j < b.items.length) {
            double x = j >= b.items.length || (i < a.items.length && a.items[i] <= b.items[j]) ? a.items[i]
                    : b.items[j];
            if (!Double.isNaN(previous)) {
                integral += gap * (x - previous);
            }
            while (i < a.items.length && a.items[i] <= x) {
                i++;
            }
            while (j < b.items.length && b.items[j] <= x) {
                j++;
            }
            double fa = i == 0 ? 0 : a.cumulative[i - 1] / a.n;
            double fb = j == 0 ? 0 : b.cumulative[j - 1] / b.n;
            gap = Math.abs(fa - fb);
            sup = Math.max(sup, gap);
            previous = x;
        }
        return new double[] {sup, integral};
    }

    /** Shares in the right-closed bins (-inf, e0], (e0, e1], ..., (e_last, inf). */
    public double[] rightClosedBins(double[] edges) {
        double[] out = new double[edges.length + 1];
        double below = 0;
        for (int k = 0; k < edges.length; k++) {
            double upTo = atMost(edges[k]);
            out[k] = upTo - below;
            below = upTo;
        }
        out[edges.length] = 1 - below;
        return out;
    }

    /** Shares in numpy histogram bins [e0, e1), ..., [e_last-1, e_last]. */
    public double[] histogram(double[] edges) {
        double[] out = new double[edges.length - 1];
        double below = below(edges[0]);
        for (int k = 1; k < edges.length; k++) {
            double upTo = k == edges.length - 1 ? atMost(edges[k]) : below(edges[k]);
            out[k - 1] = upTo - below;
            below = upTo;
        }
        return out;
    }
}
