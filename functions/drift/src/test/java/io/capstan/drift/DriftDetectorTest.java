package io.capstan.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
    private static final int ROWS = 10_000;
    private static final DriftDetector DEFAULTS = DriftDetector.create(DriftConfig.defaults());

    /** Three independent N(0, 1) features from a seeded generator; f0 shifted by {@code shift}. */
    private static double[][] normalColumns(long seed, int rows, double shift) {
        Random random = new Random(seed);
        double[][] cols = new double[3][rows];
        for (int i = 0; i < rows; i++) {
            for (int f = 0; f < 3; f++) {
                cols[f][i] = random.nextGaussian() + (f == 0 ? shift : 0);
            }
        }
        return cols;
    }

    private static List<Column> columns(double[][] cols) {
        List<Column> out = new ArrayList<>();
        for (int f = 0; f < cols.length; f++) {
            out.add(Column.numeric("f" + f, cols[f]));
        }
        return out;
    }

    @Test
    void compare_f0ShiftedByHalfStd_flagsOnlyF0AndHoldoutNothing() {
        // reference: 10k rows of three N(0,1) features, seed 1; shifted: seed 2 with f0 + 0.5 (0.5 std);
        // holdout: seed 3, unshifted. 10k reference rows > 1000, so the default test is normed Wasserstein at 0.1:
        // f0 must be reported as drift, f1 and f2 and every holdout column as no drift.
        List<Column> reference = columns(normalColumns(1, ROWS, 0));

        DriftReport shifted = DEFAULTS.compare(reference, columns(normalColumns(2, ROWS, 0.5)));
        DriftReport holdout = DEFAULTS.compare(reference, columns(normalColumns(3, ROWS, 0)));

        assertThat(shifted.columns()).extracting(ColumnDrift::method).containsOnly(DriftMethod.WASSERSTEIN);
        assertThat(shifted.columns()).extracting(ColumnDrift::drifted).containsExactly(true, false, false);
        assertThat(shifted.columns().get(0).decisive().orElseThrow().statistic()).isBetween(0.4, 0.6);
        assertThat(shifted.driftedShare()).isEqualTo(1.0 / 3);
        assertThat(shifted.datasetDrift()).isFalse();
        assertThat(holdout.columns()).noneMatch(ColumnDrift::drifted);
        assertThat(holdout.columns()).allSatisfy(c -> assertThat(c.verdict()).isInstanceOf(Verdict.NoDrift.class));
    }

    @Test
    void compare_sketchModeSameShift_sameVerdicts() {
        double[][] ref = normalColumns(1, ROWS, 0);
        DatasetProfile reference = ProfileBuilder.create(SketchParameters.defaults())
                .numeric("f0", ref[0]).numeric("f1", ref[1]).numeric("f2", ref[2]).build();
        StreamingProfile shifted = streamed(normalColumns(2, ROWS, 0.5));
        StreamingProfile holdout = streamed(normalColumns(3, ROWS, 0));

        DriftReport drifted = DEFAULTS.compare(reference, shifted);
        DriftReport stable = DEFAULTS.compare(reference, holdout);

        assertThat(drifted.mode()).isEqualTo(DriftReport.Mode.SKETCH);
        assertThat(drifted.columns()).extracting(ColumnDrift::drifted).containsExactly(true, false, false);
        assertThat(stable.columns()).noneMatch(ColumnDrift::drifted);
    }

    private static StreamingProfile streamed(double[][] cols) {
        StreamingProfile p = StreamingProfile.create(List.of(FeatureSpec.numeric("f0"), FeatureSpec.numeric("f1"),
                FeatureSpec.numeric("f2")), SketchParameters.defaults());
        for (int i = 0; i < cols[0].length; i++) {
            p.update(new float[] {(float) cols[0][i], (float) cols[1][i], (float) cols[2][i]});
        }
        return p;
    }

    @Test
    void compare_lowerDriftShare_makesOneOfThreeDatasetDrift() {
        DriftDetector detector = DriftDetector.create(DriftConfig.builder().driftShare(0.3).build());

        DriftReport report = detector.compare(columns(normalColumns(1, ROWS, 0)), columns(normalColumns(2, ROWS, 0.5)));

        assertThat(report.datasetDrift()).isTrue();
    }

    @Test
    void compare_smallReference_choosesEvidentlyDefaults() {
        Random random = new Random(5);
        double[] continuous = random.doubles(800).toArray();
        double[] threeValues = random.ints(800, 0, 3).asDoubleStream().toArray();
        double[] binary = random.ints(800, 0, 2).asDoubleStream().toArray();
        String[] colors = random.ints(800, 0, 4).mapToObj(i -> "c" + i).toArray(String[]::new);
        List<Column> sample = List.of(Column.numeric("x", continuous), Column.numeric("k", threeValues),
                Column.numeric("b", binary), Column.categorical("color", colors));

        DriftReport report = DEFAULTS.compare(sample, sample);

        assertThat(report.columns()).extracting(ColumnDrift::method).containsExactly(DriftMethod.KS,
                DriftMethod.CHI_SQUARE, DriftMethod.Z_TEST, DriftMethod.CHI_SQUARE);
        assertThat(report.columns()).allSatisfy(c -> assertThat(c.decisive().orElseThrow().pValue()).isEqualTo(1.0));
        assertThat(report.datasetDrift()).isFalse();
    }

    @Test
    void compare_largeReference_choosesDistances() {
        Random random = new Random(6);
        double[] fewValues = random.ints(5000, 0, 4).asDoubleStream().toArray();
        String[] colors = random.ints(5000, 0, 9).mapToObj(i -> "c" + i).toArray(String[]::new);

        DriftReport report = DEFAULTS.compare(List.of(Column.numeric("k", fewValues), Column.categorical("c", colors)),
                List.of(Column.numeric("k", fewValues), Column.categorical("c", colors)));

        assertThat(report.columns()).extracting(ColumnDrift::method).containsExactly(DriftMethod.JENSEN_SHANNON,
                DriftMethod.JENSEN_SHANNON);
    }

    @Test
    void compare_columnOverrides_decideWithTheForcedMethodAndThreshold() {
        DriftConfig config = DriftConfig.builder().columnMethod("f1", DriftMethod.PSI).columnThreshold("f1", 0.0)
                .threshold(DriftMethod.WASSERSTEIN, 0.9).build();

        DriftReport report = DriftDetector.create(config).compare(columns(normalColumns(1, ROWS, 0)),
                columns(normalColumns(2, ROWS, 0.5)));

        ColumnDrift f1 = report.columns().get(1);
        assertThat(f1.method()).isEqualTo(DriftMethod.PSI);
        assertThat(f1.decisive().orElseThrow().threshold()).isZero();
        assertThat(f1.drifted()).isTrue();
        assertThat(report.columns().get(0).drifted()).as("W ~0.5 is below the raised 0.9").isFalse();
    }

    @Test
    void compare_predictionColumn_reportsPredictionDriftApart() {
        double[][] ref = normalColumns(1, 2000, 0);
        double[][] cur = normalColumns(2, 2000, 0);
        double[] shiftedScores = cur[1].clone();
        for (int i = 0; i < shiftedScores.length; i++) {
            shiftedScores[i] += 1;
        }

        DriftReport report = DEFAULTS.compare(
                List.of(Column.numeric("f0", ref[0]), new Column.Numeric("score", ref[1], ColumnRole.PREDICTION)),
                List.of(Column.numeric("f0", cur[0]), new Column.Numeric("score", shiftedScores, ColumnRole.PREDICTION)));

        assertThat(report.predictionDrift()).contains(true);
        assertThat(report.testedFeatures()).isEqualTo(1);
        assertThat(report.datasetDrift()).isFalse();
    }

    @Test
    void compare_missingOrEmptyColumn_refusedOrNotTested() {
        List<Column> reference = List.of(Column.numeric("a", new double[] {1, 2}), Column.numeric("b", new double[2]));

        assertThatThrownBy(() -> DEFAULTS.compare(reference, List.of(Column.numeric("a", new double[] {1}))))
                .isInstanceOf(InvalidDriftInputException.class).hasMessageContaining("'b'");
        DriftReport report = DEFAULTS.compare(reference, List.of(Column.numeric("a", new double[] {Double.NaN}),
                Column.numeric("b", new double[] {3})));
        assertThat(report.columns().get(0).verdict()).isInstanceOf(Verdict.NotTested.class);
        assertThat(report.columns().get(0).verdict().reason()).contains("no present value");
    }

    @Test
    void compare_valuesOnTheDecileCuts_countInTheLowerBinInExactAndSketchMode() {
        // reference: 1..5, 20 each; its deciles are 1, 1.8, 2, 2.8, 3, 3.6, 4, 4.2, 5, so every value sits on a cut.
        // current: 1 and 1.5 ten each, 2..5 twenty each. Right-closed bins (-inf, 1], (1, 1.8], (1.8, 2], ...:
        // reference shares 0.2 on 1, 2, 3, 4, 5 and empty (1e-4) between; current 0.1 on 1 and 0.1 on (1, 1.8].
        double[] reference = new double[100];
        double[] current = new double[100];
        for (int i = 0; i < 100; i++) {
            reference[i] = 1 + i / 20;
            current[i] = i < 10 ? 1 : i < 20 ? 1.5 : 1 + i / 20;
        }
        double expected = (0.1 - 0.2) * Math.log(0.1 / 0.2) + (0.1 - 1e-4) * Math.log(0.1 / 1e-4);
        DatasetProfile referenceProfile = ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", reference).build();
        StreamingProfile currentProfile = StreamingProfile.create(List.of(FeatureSpec.numeric("x")),
                SketchParameters.defaults());
        for (double v : current) {
            currentProfile.update(new float[] {(float) v});
        }

        double exact = DEFAULTS.compare(List.of(Column.numeric("x", reference)), List.of(Column.numeric("x", current)))
                .columns().get(0).test(DriftMethod.PSI).orElseThrow().statistic();
        double sketch = DEFAULTS.compare(referenceProfile, currentProfile)
                .columns().get(0).test(DriftMethod.PSI).orElseThrow().statistic();

        assertThat(exact).isCloseTo(expected, Offset.offset(1e-12));
        assertThat(sketch).isCloseTo(expected, Offset.offset(1e-12));
    }
}
