package io.capstan.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sketch-mode statistics against the exact ones on the same data: each must lie within the error bound the
 * report states (README, "Sketch mode and its error bound"), and the exact KS p-value within the reported range.
 */
class SketchModeBoundsTest {

    /**
     * {@code level} > 0: the current rows sampled as traffic capture samples a large request, one row drawn from each
     * stratum of 2^level rows; the bounds then include the sampling's and must still hold against all the rows.
     */
    @ParameterizedTest(name = "{0} sampled at level {3}")
    @CsvSource({"normal-unshifted,0,1,0", "normal-shift,0.3,1,0", "lognormal-scaled,0.1,1.3,0", "normal-wide,0,3,0",
            "normal-unshifted,0,1,6", "normal-shift,0.3,1,6", "lognormal-scaled,0.1,1.3,4"})
    void compare_sketchVersusExact_withinStatedBounds(String name, double shift, double scale, int level) {
        DoubleUnaryOperator transform = name.startsWith("lognormal") ? Math::exp : x -> x;
        double[] ref = draw(60_000, 11, 0, 1, transform);
        double[] cur = draw(150_000, 12, shift, scale, transform);
        float[] curFloats = new float[cur.length];
        for (int i = 0; i < cur.length; i++) {
            curFloats[i] = (float) cur[i];
            cur[i] = curFloats[i];
        }
        DatasetProfile reference = ProfileBuilder.create(SketchParameters.defaults()).numeric("x", ref).build();
        StreamingProfile streamed = StreamingProfile.create(List.of(FeatureSpec.numeric("x")),
                SketchParameters.defaults());
        Random draw = new Random(13);
        int start = 0;
        for (; start + (1 << level) <= curFloats.length; start += 1 << level) {
            streamed.update(new float[] {curFloats[start + draw.nextInt(1 << level)]}, level);
        }
        for (; start < curFloats.length; start++) {
            streamed.update(new float[] {curFloats[start]}); // the rows after the last whole stratum, each alone
        }
        DriftDetector detector = DriftDetector.create(DriftConfig.defaults());

        ColumnDrift sketch = detector.compare(reference, streamed).columns().get(0);
        ColumnDrift exact = detector.compare(List.of(Column.numeric("x", ref)), List.of(Column.numeric("x", cur)))
                .columns().get(0);

        for (DriftMethod m : List.of(DriftMethod.KS, DriftMethod.WASSERSTEIN, DriftMethod.PSI,
                DriftMethod.JENSEN_SHANNON)) {
            TestResult s = sketch.test(m).orElseThrow();
            TestResult e = exact.test(m).orElseThrow();
            assertThat(s.errorBound()).as("%s %s bound", name, m).isPositive().isFinite();
            assertThat(Math.abs(s.statistic() - e.statistic())).as("%s %s: sketch %s exact %s bound %s", name, m,
                    s.statistic(), e.statistic(), s.errorBound()).isLessThanOrEqualTo(s.errorBound());
        }
        TestResult ks = sketch.test(DriftMethod.KS).orElseThrow();
        double exactP = exact.test(DriftMethod.KS).orElseThrow().pValue();
        if (level == 0) {
            assertThat(exactP).isBetween(ks.pValueLow(), ks.pValueHigh());
        } else {
            // sampled: the p-value is that of the effective sample size, never more significant than all the rows
            assertThat(ks.pValueHigh()).isGreaterThanOrEqualTo(exactP);
        }
        if (shift == 0 && scale == 1) {
            assertThat(ks.drift()).as("%s: p = %s", name, ks.pValue()).isFalse();
        }
    }

    private static double[] draw(int n, long seed, double shift, double scale, DoubleUnaryOperator transform) {
        Random random = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = transform.applyAsDouble(random.nextGaussian() * scale + shift);
        }
        return out;
    }
}
