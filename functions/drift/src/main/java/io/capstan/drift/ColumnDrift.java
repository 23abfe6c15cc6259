package io.capstan.drift;

import io.capstan.profile.FeatureKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The check of one column: every test that ran on it, the one that decides (chosen as Evidently does unless the
 * configuration names one) and the verdict.
 *
 * @param column column name
 * @param kind numeric or categorical
 * @param role feature or model output
 * @param referenceCount present values in the reference
 * @param currentCount present values in the current data
 * @param method the deciding test; {@code null} when not tested
 * @param tests all tests run, the deciding one included
 * @param verdict drift, no drift, or not tested (with the reason)
 * @param overlay both distributions, for the HTML report
 */
public record ColumnDrift(String column, FeatureKind kind, ColumnRole role, long referenceCount, long currentCount,
        DriftMethod method, List<TestResult> tests, Verdict verdict, Overlay overlay) {

    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(verdict, "verdict");
        tests = List.copyOf(tests);
        overlay = overlay == null ? Overlay.empty() : overlay;
    }

    public static ColumnDrift notTested(String column, FeatureKind kind, ColumnRole role, String reason) {
        return new ColumnDrift(column, kind, role, 0, 0, null, List.of(), new Verdict.NotTested(reason), null);
    }

    /** The deciding test's result, if one ran. */
    public Optional<TestResult> decisive() {
        return tests.stream().filter(t -> t.method() == method).findFirst();
    }

    /** The result of a given test, if it ran. */
    public Optional<TestResult> test(DriftMethod m) {
        return tests.stream().filter(t -> t.method() == m).findFirst();
    }

    public boolean drifted() {
        return verdict instanceof Verdict.Drift;
    }
}
