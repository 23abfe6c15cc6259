package io.capstan.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

    @Test
    void numeric_oneToTen_givesMomentsRangeAndDeciles() {
        double[] values = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

        NumericFeatureProfile f = (NumericFeatureProfile) ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", values).build().features().get(0);

        assertThat(f.count()).isEqualTo(10);
        assertThat(f.distinct()).isEqualTo(10);
        assertThat(f.mean()).isEqualTo(5.5);
        assertThat(f.std()).isCloseTo(Math.sqrt(8.25), within(1e-15));
        assertThat(f.min()).isEqualTo(1);
        assertThat(f.max()).isEqualTo(10);
        // numpy linear quantiles of 1..10: 1 + 9q, so the deciles are 1.9, 2.8, ... 9.1 and each bin holds one value
        assertThat(f.histogram().edges()).hasSize(9);
        for (int i = 0; i < 9; i++) {
            assertThat(f.histogram().edges().get(i)).isCloseTo(1 + 9 * Histogram.DECILE_LEVELS[i], within(1e-12));
        }
        assertThat(f.histogram().counts()).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L);
    }

    @Test
    void numeric_manyTies_mergesEqualDecileEdges() {
        double[] values = new double[100];
        for (int i = 90; i < 100; i++) {
            values[i] = i;
        }

        Histogram h = ((NumericFeatureProfile) ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", values).build().features().get(0)).histogram();

        assertThat(h.edges()).first().isEqualTo(0.0);
        assertThat(h.edges()).doesNotHaveDuplicates().hasSizeLessThan(9);
        assertThat(h.counts().get(0)).isEqualTo(90);
        assertThat(h.total()).isEqualTo(100);
    }

    @Test
    void numeric_nanValues_countAsMissing() {
        double[] values = {1, Double.NaN, 3, Double.NaN};

        NumericFeatureProfile f = (NumericFeatureProfile) ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", values).build().features().get(0);

        assertThat(f.count()).isEqualTo(2);
        assertThat(f.missing()).isEqualTo(2);
        assertThat(f.mean()).isEqualTo(2);
        assertThat(f.sketch().getN()).isEqualTo(2);
    }

    @Test
    void numeric_largeColumn_sketchRanksWithinStatedError() {
        int n = 200_000;
        double[] values = new double[n];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);

        NumericFeatureProfile f = (NumericFeatureProfile) ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", values).build().features().get(0);
        KllDoublesSketch kll = f.sketch();

        assertThat(f.rankError()).isEqualTo(SketchParameters.defaults().rankError());
        for (int i = 1; i < 100; i++) {
            double x = sorted[i * n / 100];
            double exact = (double) (i * n / 100 + 1) / n;
            assertThat(kll.getRank(x, QuantileSearchCriteria.INCLUSIVE)).isCloseTo(exact, within(f.rankError()));
        }
    }

    @Test
    void categorical_countsMostFrequentFirstAndMissing() {
        String[] values = {"b", "a", "b", null, "c", "b", "", "a"};

        CategoricalFeatureProfile f = (CategoricalFeatureProfile) ProfileBuilder.create(SketchParameters.defaults())
                .categorical("c", values).build().features().get(0);

        assertThat(f.count()).isEqualTo(6);
        assertThat(f.missing()).isEqualTo(2);
        assertThat(f.distinct()).isEqualTo(3);
        assertThat(f.frequencies()).containsExactly(Map.entry("b", 3L), Map.entry("a", 2L), Map.entry("c", 1L));
        assertThat(f.frequencyError()).isZero();
    }

    @Test
    void build_labelAndPredictions_areKeptApartFromFeatures() {
        DatasetProfile p = ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", new double[] {1, 2, 3})
                .categoricalLabel("y", new String[] {"a", "b", "a"})
                .numericPrediction("p_b", new double[] {0.1, 0.9, 0.2})
                .build();

        assertThat(p.rowCount()).isEqualTo(3);
        assertThat(p.features()).extracting(FeatureProfile::name).containsExactly("x");
        assertThat(p.labelProfile()).get().extracting(FeatureProfile::kind).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(p.feature("p_b")).get().isInstanceOf(NumericFeatureProfile.class);
    }

    @Test
    void predictionsOnOtherRows_holdoutPredictions_keepTheirOwnCountAndTheFeaturesRowCount() {
        DatasetProfile p = ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", new double[] {1, 2, 3, 4, 5})
                .predictionsOnOtherRows()
                .numericPrediction(PredictionColumns.probability("b"), new double[] {0.1, 0.9})
                .categoricalPrediction("predicted", new String[] {"a", "b"})
                .build();

        assertThat(p.rowCount()).isEqualTo(5);
        assertThat(p.predictions()).extracting(FeatureProfile::count).containsExactly(2L, 2L);
        assertThat(p.feature("probability:b")).get().isInstanceOf(NumericFeatureProfile.class);
    }

    @Test
    void predictionsOnOtherRows_predictionsOfDifferentLengthsOrDeclaredLate_areRefused() {
        ProfileBuilder holdout = ProfileBuilder.create(SketchParameters.defaults()).numeric("x", new double[5])
                .predictionsOnOtherRows().numericPrediction("p", new double[2]);
        ProfileBuilder sameRows = ProfileBuilder.create(SketchParameters.defaults()).numeric("x", new double[5]);

        assertThatThrownBy(() -> holdout.numericPrediction("q", new double[3]))
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("'q' has 3 rows");
        assertThatThrownBy(() -> sameRows.numericPrediction("p", new double[2]))
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("'p' has 2 rows");
        assertThatThrownBy(() -> ProfileBuilder.create(SketchParameters.defaults()).numeric("x", new double[2])
                .numericPrediction("p", new double[2]).predictionsOnOtherRows())
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("before adding prediction");
    }

    @Test
    void predictionColumns_probabilityNames_roundTripTheLabel() {
        assertThat(PredictionColumns.probability("malignant")).isEqualTo("probability:malignant");
        assertThat(PredictionColumns.probabilityLabel("probability:a:b")).hasValue("a:b");
        assertThat(PredictionColumns.probabilityLabel("probability:")).isEmpty();
        assertThat(PredictionColumns.probabilityLabel("p_malignant")).isEmpty();
    }

    @Test
    void build_columnsOfDifferentLengths_isRefused() {
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults()).numeric("x", new double[3]);

        assertThatThrownBy(() -> builder.categorical("c", new String[2]))
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("'c' has 2 rows");
    }

    @Test
    void build_duplicateNameOrNoColumn_isRefused() {
        assertThatThrownBy(() -> ProfileBuilder.create(SketchParameters.defaults()).build())
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("at least one column");
        assertThatThrownBy(() -> ProfileBuilder.create(SketchParameters.defaults())
                .numeric("x", new double[1]).categorical("x", new String[] {"a"}).build())
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("'x' appears twice");
    }

    @Test
    void sketchParameters_badValues_areRefused() {
        assertThatThrownBy(() -> new SketchParameters(4, 1024)).isInstanceOf(InvalidProfileException.class);
        assertThatThrownBy(() -> new SketchParameters(200, 1000)).hasMessageContaining("power of two");
        assertThat(List.of(SketchParameters.defaults().rankError(), SketchParameters.defaults().massError()))
                .allSatisfy(e -> assertThat(e).isBetween(0.0025, 0.004));
    }
}
