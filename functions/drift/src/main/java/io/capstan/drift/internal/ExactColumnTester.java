package io.capstan.drift.internal;

import io.capstan.drift.Column;
import io.capstan.drift.ColumnDrift;
import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftMethod;
import io.capstan.drift.Overlay;
import io.capstan.drift.TestResult;
import io.capstan.profile.FeatureKind;
import io.capstan.profile.internal.SortedColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs every applicable test on two exact samples of one column and judges by the deciding one. */
public final class ExactColumnTester {
    private final DriftConfig config;

    public ExactColumnTester(DriftConfig config) {
        this.config = config;
    }

    public ColumnDrift test(Column reference, Column current) {
        if (reference instanceof Column.Numeric r && current instanceof Column.Numeric c) {
            return numeric(r, c);
        }
        if (reference instanceof Column.Categorical r && current instanceof Column.Categorical c) {
            return categorical(r.name(), r.role(), reference.size(), counts(r.values()), counts(c.values()));
        }
        return ColumnDrift.notTested(reference.name(), kindOf(reference), reference.role(),
                "the column is numeric on one side and categorical on the other");
    }

    private ColumnDrift numeric(Column.Numeric reference, Column.Numeric current) {
        String name = reference.name();
        double[] ref = SortedColumns.sortedPresent(reference.values());
        double[] cur = SortedColumns.sortedPresent(current.values());
        if (ref.length == 0 || cur.length == 0) {
            return ColumnDrift.notTested(name, FeatureKind.NUMERIC, reference.role(),
                    (ref.length == 0 ? "the reference" : "the current data") + " has no present value");
        }
        long distinct = NumericStatistics.distinctUnion(ref, cur, 6);
        DriftMethod method = MethodChoice.choose(config, name, FeatureKind.NUMERIC, reference.size(), distinct);
        long referenceDistinct = SortedColumns.distinctCount(ref);
        double std = SortedColumns.meanAndStd(ref)[1];
        List<TestResult> tests = new ArrayList<>();
        KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(ref, cur);
        tests.add(result(name, DriftMethod.KS, method, ks.statistic(), ks.pValue()));
        tests.add(result(name, DriftMethod.WASSERSTEIN, method, NumericStatistics.normedWasserstein(ref, cur, std),
                Double.NaN));
        tests.add(result(name, DriftMethod.PSI, method, NumericStatistics.psi(ref, cur), Double.NaN));
        tests.add(result(name, DriftMethod.JENSEN_SHANNON, method,
                NumericStatistics.jensenShannon(ref, cur, referenceDistinct), Double.NaN));
        String whyNot = null;
        if (method == DriftMethod.CHI_SQUARE || method == DriftMethod.Z_TEST) {
            CategoryStatistics values = new CategoryStatistics(valueCounts(ref), valueCounts(cur));
            whyNot = addCategoryTest(tests, values, name, method, method);
        }
        double[][] pq = NumericStatistics.equalWidthProportions(ref, cur);
        double[] edges = NumericStatistics.equalWidthEdges(Math.min(ref[0], cur[0]),
                Math.max(ref[ref.length - 1], cur[cur.length - 1]), NumericStatistics.JS_BINS);
        return MethodChoice.judge(name, FeatureKind.NUMERIC, reference.role(), new long[] {ref.length, cur.length},
                method, tests, Overlays.numeric(edges, pq[0], pq[1]), whyNot);
    }

    ColumnDrift categorical(String name, io.capstan.drift.ColumnRole role, long referenceRows,
            Map<String, Long> reference, Map<String, Long> current) {
        if (reference.isEmpty() || current.isEmpty()) {
            return ColumnDrift.notTested(name, FeatureKind.CATEGORICAL, role,
                    (reference.isEmpty() ? "the reference" : "the current data") + " has no present value");
        }
        CategoryStatistics stats = new CategoryStatistics(reference, current);
        DriftMethod method = MethodChoice.choose(config, name, FeatureKind.CATEGORICAL, referenceRows,
                stats.categories());
        List<TestResult> tests = new ArrayList<>();
        addCategoryTest(tests, stats, name, DriftMethod.CHI_SQUARE, method);
        String whyNot = addCategoryTest(tests, stats, name, DriftMethod.Z_TEST, method);
        tests.add(result(name, DriftMethod.PSI, method, stats.psi(), Double.NaN));
        tests.add(result(name, DriftMethod.JENSEN_SHANNON, method, stats.jensenShannon(), Double.NaN));
        if (method == DriftMethod.KS || method == DriftMethod.WASSERSTEIN) {
            whyNot = method.wireName() + " applies to numeric columns only";
        }
        return MethodChoice.judge(name, FeatureKind.CATEGORICAL, role, new long[] {total(reference), total(current)},
                method, tests, Overlays.categorical(stats), whyNot);
    }

    /** Adds chi-square or z to the tests if it applies; returns why not otherwise. */
    private String addCategoryTest(List<TestResult> tests, CategoryStatistics stats, String name,
            DriftMethod test, DriftMethod deciding) {
        if (test == DriftMethod.Z_TEST && stats.categories() > 2) {
            return "z applies to columns with at most two values; this one has " + stats.categories();
        }
        double[] sp = test == DriftMethod.Z_TEST ? stats.zTest() : stats.chiSquare();
        tests.add(result(name, test, deciding, sp[0], sp[1]));
        return null;
    }

    private TestResult result(String column, DriftMethod test, DriftMethod deciding, double statistic, double p) {
        return TestResult.exact(test, statistic, p, config.threshold(column, test, test == deciding));
    }

    static Map<String, Long> counts(String[] values) {
        Map<String, Long> counts = new HashMap<>();
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                counts.merge(v, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static Map<String, Long> valueCounts(double[] sorted) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (double v : sorted) {
            counts.merge(Double.toString(v), 1L, Long::sum);
        }
        return counts;
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static FeatureKind kindOf(Column c) {
        return c instanceof Column.Numeric ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
    }
}
