package io.capstan.drift.internal;

import io.capstan.drift.ColumnDrift;
import io.capstan.drift.ColumnRole;
import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftMethod;
import io.capstan.drift.Overlay;
import io.capstan.drift.TestResult;
import io.capstan.drift.Verdict;
import io.capstan.profile.FeatureKind;
import java.util.List;
import java.util.Locale;

/** Evidently's default choice of test ({@code get_default_stattest}) and the verdict it leads to. */
public final class MethodChoice {
    private MethodChoice() {
    }

    /**
     * The deciding method of a column.
     *
     * @param referenceRows rows of the reference column, missing ones included (Evidently's {@code shape[0]})
     * @param distinctValues distinct present values across both samples (for sketches, the reference's)
     */
    public static DriftMethod choose(DriftConfig config, String column, FeatureKind kind, long referenceRows,
            long distinctValues) {
        boolean numeric = kind == FeatureKind.NUMERIC;
        return config.forcedMethod(column, numeric).orElseGet(() -> {
            if (referenceRows <= config.smallSampleRows()) {
                if (numeric && distinctValues > 5) {
                    return DriftMethod.KS;
                }
                return distinctValues > 2 ? DriftMethod.CHI_SQUARE : DriftMethod.Z_TEST;
            }
            return numeric && distinctValues > 5 ? DriftMethod.WASSERSTEIN : DriftMethod.JENSEN_SHANNON;
        });
    }

    /** The column's result from the tests that ran; NotTested if the deciding one could not run. */
    public static ColumnDrift judge(String column, FeatureKind kind, ColumnRole role, long[] counts,
            DriftMethod method, List<TestResult> tests, Overlay overlay, String whyNot) {
        TestResult decisive = tests.stream().filter(t -> t.method() == method).findFirst().orElse(null);
        Verdict verdict;
        if (decisive == null) {
            verdict = new Verdict.NotTested(whyNot != null ? whyNot : method.wireName() + " does not apply");
        } else {
            String relation = decisive.drift() ? (method.pValueTest() ? "below" : "at or above")
                    : (method.pValueTest() ? "not below" : "below");
            String reason = String.format(Locale.ROOT, "%s %s %.4g is %s the threshold %.4g", method.wireName(),
                    method.pValueTest() ? "p_value" : "distance", decisive.judgedValue(), relation,
                    decisive.threshold());
            verdict = decisive.drift() ? new Verdict.Drift(reason) : new Verdict.NoDrift(reason);
        }
        return new ColumnDrift(column, kind, role, counts[0], counts[1], method, tests, verdict, overlay);
    }
}
