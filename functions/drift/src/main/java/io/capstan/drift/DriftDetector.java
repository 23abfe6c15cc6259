package io.capstan.drift;

import io.capstan.drift.internal.ExactColumnTester;
import io.capstan.drift.internal.SketchColumnTester;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.StreamingProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares current data with reference data, column by column, under one {@link DriftConfig}. Stateless and
 * thread-safe.
 *
 * <p><b>Exact mode</b> ({@link #compare(List, List)}): every test on the full samples; KS p-values equal
 * SciPy's {@code ks_2samp} (see {@code make_golden.py} and the golden tests).
 *
 * <p><b>Sketch mode</b> ({@link #compare(DatasetProfile, DatasetProfile)}): the reference profile against the
 * profile of merged streaming sketches. Its cost does not grow with traffic: KLL sketches keep about 3k values
 * whatever they saw. Each statistic comes with the error bound the sketches allow: if the reference and current
 * sketches have normalized rank errors e_r and e_c (0 while a sketch is exact; 0.0028 each at k = 1000, 99%
 * confidence), the KS D of the sketches is within b = e_r + e_c (+ 1/1024 when a sketch is estimating: the
 * current CDF is then read on a fixed 1024-point grid, so the check costs the same at any traffic volume) of the
 * exact D; the p-value decreases with D, so the exact p-value lies between the p-values at D + b and D - b,
 * reported as {@code p_value_range}; the normed Wasserstein distance is within b (max - min) / std; PSI and
 * Jensen-Shannon carry a per-bin bound (see the module README).
 */
public final class DriftDetector {
    private final DriftConfig config;
    private final ExactColumnTester exact;
    private final SketchColumnTester sketch;

    private DriftDetector(DriftConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.exact = new ExactColumnTester(config);
        this.sketch = new SketchColumnTester(config);
    }

    public static DriftDetector create(DriftConfig config) {
        return new DriftDetector(config);
    }

    /**
     * Exact mode: tests each reference column against the current column of the same name.
     *
     * @throws InvalidDriftInputException if a reference column is missing from the current sample or a name repeats
     */
    public DriftReport compare(List<Column> reference, List<Column> current) {
        Map<String, Column> byName = index(current, Column::name, "current");
        index(reference, Column::name, "reference");
        List<Column> columns = ordered(reference);
        for (Column r : columns) {
            if (!byName.containsKey(r.name())) {
                throw new InvalidDriftInputException("Column '" + r.name() + "' is in the reference but not in the"
                        + " current data; current columns are " + byName.keySet() + ".");
            }
        }
        // columns are independent: test them on all cores (order kept)
        List<ColumnDrift> results = columns.parallelStream().map(r -> exact.test(r, byName.get(r.name()))).toList();
        return new DriftReport(DriftReport.Mode.EXACT, rows(reference), rows(current), results, config.driftShare());
    }

    /**
     * Sketch mode: tests each reference feature and prediction column against the current profile's column of the
     * same name; a column the current profile lacks is reported as not tested.
     */
    public DriftReport compare(DatasetProfile reference, DatasetProfile current) {
        Map<String, FeatureProfile> byName = current.features().stream()
                .collect(Collectors.toMap(FeatureProfile::name, Function.identity(), (a, b) -> a));
        current.predictions().forEach(p -> byName.putIfAbsent(p.name(), p));
        List<ColumnDrift> results = new ArrayList<>();
        addSketchResults(results, reference.features(), byName, ColumnRole.FEATURE);
        addSketchResults(results, reference.predictions(), byName, ColumnRole.PREDICTION);
        return new DriftReport(DriftReport.Mode.SKETCH, reference.rowCount(), current.rowCount(), results,
                config.driftShare());
    }

    /** Sketch mode against a (merged) streaming profile. */
    public DriftReport compare(DatasetProfile reference, StreamingProfile current) {
        return compare(reference, current.toDatasetProfile());
    }

    private void addSketchResults(List<ColumnDrift> results, List<FeatureProfile> reference,
            Map<String, FeatureProfile> current, ColumnRole role) {
        for (FeatureProfile r : reference) {
            FeatureProfile c = current.get(r.name());
            results.add(c == null ? ColumnDrift.notTested(r.name(), r.kind(), role, "absent from the current data")
                    : sketch.test(r, c, role));
        }
    }

    private static List<Column> ordered(List<Column> columns) {
        List<Column> out = new ArrayList<>(columns.stream().filter(c -> c.role() == ColumnRole.FEATURE).toList());
        out.addAll(columns.stream().filter(c -> c.role() == ColumnRole.PREDICTION).toList());
        return out;
    }

    private static long rows(List<Column> columns) {
        return columns.stream().mapToLong(Column::size).max().orElse(0);
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> name, String side) {
        Map<String, T> out = new java.util.LinkedHashMap<>();
        for (T item : items) {
            if (out.put(name.apply(item), item) != null) {
                throw new InvalidDriftInputException("Column '" + name.apply(item) + "' appears twice in the " + side
                        + " data.");
            }
        }
        return out;
    }
}
