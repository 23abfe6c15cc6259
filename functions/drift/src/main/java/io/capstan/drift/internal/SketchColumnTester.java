package io.capstan.drift.internal;

import io.capstan.drift.ColumnDrift;
import io.capstan.drift.ColumnRole;
import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftMethod;
import io.capstan.drift.TestResult;
import io.capstan.profile.CategoricalFeatureProfile;
import io.capstan.profile.FeatureKind;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.Histogram;
import io.capstan.profile.NumericFeatureProfile;
import io.capstan.profile.Sampling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tests one column from profiles: numeric columns through their KLL sketches (KS D and Wasserstein from the two
 * sketch CDFs, PSI from the reference's stored decile histogram and the current sketch, Jensen-Shannon on 30
 * equal-width bins of both sketches), categorical ones through their frequency tables. Each result carries the
 * error bound the sketches allow; see the module README.
 */
public final class SketchColumnTester {
    /** Points of the grid the current CDF is evaluated on when a sketch is estimating. */
    static final int GRID = 1024;
    private final DriftConfig config;
    private final ExactColumnTester categories;

    public SketchColumnTester(DriftConfig config) {
        this.config = config;
        this.categories = new ExactColumnTester(config);
    }

    public ColumnDrift test(FeatureProfile reference, FeatureProfile current, ColumnRole role) {
        if (reference instanceof NumericFeatureProfile r && current instanceof NumericFeatureProfile c) {
            return numeric(r, c, role);
        }
        if (reference instanceof CategoricalFeatureProfile r && current instanceof CategoricalFeatureProfile c) {
            return categorical(r, c, role);
        }
        return ColumnDrift.notTested(reference.name(), reference.kind(), role,
                "the column is numeric on one side and categorical on the other");
    }

    private ColumnDrift numeric(NumericFeatureProfile reference, NumericFeatureProfile current, ColumnRole role) {
        String name = reference.name();
        if (reference.count() == 0 || current.count() == 0) {
            return ColumnDrift.notTested(name, FeatureKind.NUMERIC, role,
                    (reference.count() == 0 ? "the reference" : "the current data") + " has no present value");
        }
        SketchCdf ref = new SketchCdf(reference.sketch(), reference.samplingRankError());
        SketchCdf cur = new SketchCdf(current.sketch(), current.samplingRankError());
        long distinct = reference.distinct() == null ? Long.MAX_VALUE : reference.distinct();
        DriftMethod method = MethodChoice.choose(config, name, FeatureKind.NUMERIC,
                reference.count() + reference.missing(), distinct);
        List<TestResult> tests = new ArrayList<>();

        // both exact: the exact D; otherwise the current CDF on a fixed grid (one more 1/GRID in the bound), so the
        // check costs the same whatever the traffic volume
        boolean exact = ref.exact() && cur.exact();
        double[] supIntegral = SketchCdf.supAndIntegral(ref, exact ? cur : cur.onGrid(GRID));
        double dBound = ref.rankError() + cur.rankError() + (exact ? 0 : 1.0 / GRID);
        tests.add(ksResult(name, method, supIntegral[0], dBound, effective(ref.n(), reference.sampling()),
                effective(cur.n(), current.sampling())));

        double norm = Math.max(reference.std(), NumericStatistics.MIN_STD);
        double range = Math.max(ref.max(), cur.max()) - Math.min(ref.min(), cur.min());
        tests.add(result(name, DriftMethod.WASSERSTEIN, method, supIntegral[1] / norm, Double.NaN,
                dBound * range / norm, Double.NaN, Double.NaN));

        double[] p;
        double[] q;
        double psiBound;
        Histogram deciles = reference.histogram();
        if (deciles != null) {
            p = NumericStatistics.proportions(deciles.counts().stream().mapToLong(Long::longValue).toArray(),
                    deciles.total());
            q = cur.rightClosedBins(deciles.edgeArray());
            psiBound = Divergences.psiBound(p, q, cur.massError());
        } else {
            double[] edges = io.capstan.profile.internal.SortedColumns.distinct(
                    reference.sketch().getQuantiles(Histogram.DECILE_LEVELS));
            p = ref.rightClosedBins(edges);
            q = cur.rightClosedBins(edges);
            psiBound = Double.NaN;
        }
        tests.add(result(name, DriftMethod.PSI, method, Divergences.psi(p, q), Double.NaN, psiBound, Double.NaN,
                Double.NaN));

        double[] edges = NumericStatistics.equalWidthEdges(Math.min(ref.min(), cur.min()),
                Math.max(ref.max(), cur.max()), NumericStatistics.JS_BINS);
        double[] pj = Divergences.fillZeroes(ref.histogram(edges));
        double[] qj = Divergences.fillZeroes(cur.histogram(edges));
        tests.add(result(name, DriftMethod.JENSEN_SHANNON, method, Divergences.jensenShannon(pj, qj), Double.NaN,
                Divergences.jensenShannonBound(pj, qj, ref.massError(), cur.massError()), Double.NaN, Double.NaN));

        String whyNot = null;
        if (method == DriftMethod.CHI_SQUARE || method == DriftMethod.Z_TEST) {
            ColumnDrift asCategories = categories.categorical(name, role, reference.count() + reference.missing(),
                    effective(valueCounts(ref, ref), reference.sampling(), reference.count()),
                    effective(valueCounts(ref, cur), current.sampling(), current.count()));
            asCategories.test(method).ifPresent(t -> tests.add(withBound(t, ref.rankError() + cur.rankError() > 0)));
            whyNot = asCategories.verdict().reason();
        }
        return MethodChoice.judge(name, FeatureKind.NUMERIC, role, new long[] {reference.count(), current.count()},
                method, tests, Overlays.numeric(edges, ref.histogram(edges), cur.histogram(edges)), whyNot);
    }

    private ColumnDrift categorical(CategoricalFeatureProfile reference, CategoricalFeatureProfile current,
            ColumnRole role) {
        ColumnDrift exact = categories.categorical(reference.name(), role, reference.count() + reference.missing(),
                effective(reference.frequencies(), reference.sampling(), reference.count()),
                effective(current.frequencies(), current.sampling(), current.count()));
        if (reference.frequencyError() == 0 && current.frequencyError() == 0) {
            return exact;
        }
        CategoryStatistics stats = new CategoryStatistics(reference.frequencies(), current.frequencies());
        double dp = (double) reference.frequencyError() / Math.max(1, reference.count());
        double dq = (double) current.frequencyError() / Math.max(1, current.count());
        List<TestResult> tests = new ArrayList<>();
        for (TestResult t : exact.tests()) {
            double bound = switch (t.method()) {
                case PSI -> dp == 0 ? Divergences.psiBound(stats.referenceProportions(), stats.currentProportions(), dq)
                        : Double.NaN;
                case JENSEN_SHANNON -> Divergences.jensenShannonBound(
                        Divergences.fillZeroes(stats.referenceProportions()),
                        Divergences.fillZeroes(stats.currentProportions()), dp, dq);
                default -> Double.NaN;
            };
            tests.add(new TestResult(t.method(), t.statistic(), t.pValue(), t.threshold(), t.drift(), bound,
                    Double.NaN, Double.NaN));
        }
        return new ColumnDrift(exact.column(), exact.kind(), role, exact.referenceCount(), exact.currentCount(),
                exact.method(), tests, exact.verdict(), exact.overlay());
    }

    /**
     * KS from sketches. Both sketches exact: D is the exact D and the p-value SciPy's, as in exact mode. Otherwise
     * the p-value and its range come from the limiting distribution, in constant time (SciPy's finite-n
     * {@code kstwo} costs time growing with n, up to ~100 ms near n = 1e5, which a check over a window of traffic
     * must not pay; its difference from the limit is far inside the range the D bound gives).
     */
    private TestResult ksResult(String name, DriftMethod method, double d, double dBound, long n1, long n2) {
        if (dBound == 0) {
            KolmogorovSmirnov.Result ks = KolmogorovSmirnov.pValue(d, n1, n2);
            return result(name, DriftMethod.KS, method, ks.statistic(), ks.pValue(), 0, ks.pValue(), ks.pValue());
        }
        double p = KolmogorovSmirnov.limitingPValue(d, n1, n2);
        double pLow = KolmogorovSmirnov.limitingPValue(Math.min(1, d + dBound), n1, n2);
        double pHigh = KolmogorovSmirnov.limitingPValue(Math.max(0, d - dBound), n1, n2);
        return result(name, DriftMethod.KS, method, d, p, dBound, pLow, pHigh);
    }

    /**
     * The sample size a test takes for a column of {@code n} values: n, or Kish's effective size when the values were
     * sampled ({@link Sampling}), since the weighted count would overstate significance.
     */
    private static long effective(long n, Sampling sampling) {
        return sampling == null ? n : Math.round(sampling.effectiveCount(n));
    }

    /** Counts scaled to the effective sample size when the column was sampled (shares unchanged). */
    private static Map<String, Long> effective(Map<String, Long> counts, Sampling sampling, long n) {
        if (sampling == null) {
            return counts;
        }
        double scale = sampling.effectiveCount(n) / Math.max(1, n);
        Map<String, Long> scaled = new LinkedHashMap<>();
        counts.forEach((category, count) -> scaled.put(category, Math.round(count * scale)));
        return scaled;
    }

    /** Estimated counts of each distinct retained reference value, in a sketch (for chi-square or z on numbers). */
    private static Map<String, Long> valueCounts(SketchCdf values, SketchCdf sketch) {
        Map<String, Long> counts = new LinkedHashMap<>();
        double previous = Double.NEGATIVE_INFINITY;
        for (double v : values.distinctItems()) {
            long c = Math.round((sketch.atMost(v) - sketch.below(v)) * sketch.n());
            if (c > 0 && v > previous) {
                counts.put(Double.toString(v), c);
            }
            previous = v;
        }
        return counts;
    }

    private static TestResult withBound(TestResult t, boolean estimated) {
        return estimated ? new TestResult(t.method(), t.statistic(), t.pValue(), t.threshold(), t.drift(), Double.NaN,
                Double.NaN, Double.NaN) : t;
    }

    private TestResult result(String column, DriftMethod test, DriftMethod deciding, double statistic, double p,
            double bound, double pLow, double pHigh) {
        double threshold = config.threshold(column, test, test == deciding);
        return new TestResult(test, statistic, p, threshold,
                test.drifts(test.pValueTest() ? p : statistic, threshold), bound, pLow, pHigh);
    }
}
