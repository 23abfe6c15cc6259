package io.capstan.quality.metrics;

import static io.capstan.quality.metrics.GoldenFixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"binary", "multiclass"})
    void of_goldenFixture_matchesScikitLearn(String fixture) {
        JsonNode expected = GoldenFixtures.json(fixture + "/expected.json");
        List<String> classes = new ArrayList<>();
        expected.get("classes").forEach(c -> classes.add(c.asText()));

        ClassificationQuality q = ClassificationMetrics.of(classes, rows(fixture));

        assertThat(q.rows()).isEqualTo(expected.get("rows").asLong());
        assertThat(q.classes()).isEqualTo(classes);
        assertClose(q.accuracy(), expected.get("accuracy").asDouble(), "accuracy");
        assertThat(q.perClass().keySet()).containsExactlyElementsOf(classes);
        for (String c : classes) {
            JsonNode e = expected.get("per_class").get(c);
            assertScores(q.perClass().get(c), e, c);
            assertThat(q.perClass().get(c).support()).as("support of %s", c).isEqualTo(e.get("support").asLong());
        }
        assertScores(q.macro(), expected.get("macro"), "macro");
        assertScores(q.weighted(), expected.get("weighted"), "weighted");
        assertThat(q.macro().support()).isEqualTo(q.rows());
        assertThat(q.weighted().support()).isEqualTo(q.rows());
        for (int a = 0; a < classes.size(); a++) {
            for (int p = 0; p < classes.size(); p++) {
                assertThat(q.confusion()[a][p]).as("confusion[%d][%d]", a, p)
                        .isEqualTo(expected.get("confusion").get(a).get(p).asLong());
            }
        }
        assertClose(q.logLoss().orElseThrow(), expected.get("log_loss").asDouble(), "log loss");
        if (expected.get("brier").isNull()) {
            assertThat(q.brier()).isEmpty();
        } else {
            assertClose(q.brier().orElseThrow(), expected.get("brier").asDouble(), "brier");
        }
        assertThat(q.calibrationOf()).isEqualTo(expected.get("calibration_of").asText());
        JsonNode bins = expected.get("calibration");
        assertThat(q.reliability()).hasSize(bins.get("counts").size());
        for (int b = 0; b < q.reliability().size(); b++) {
            CalibrationBin bin = q.reliability().get(b);
            assertThat(bin.count()).as("bin %d count", b).isEqualTo(bins.get("counts").get(b).asLong());
            assertClose(bin.lower(), bins.get("lower").get(b).asDouble(), "bin " + b + " lower");
            assertClose(bin.upper(), bins.get("upper").get(b).asDouble(), "bin " + b + " upper");
            assertClose(bin.meanPredicted(), bins.get("prob_pred").get(b).asDouble(), "bin " + b + " prob_pred");
            assertClose(bin.observedFrequency(), bins.get("prob_true").get(b).asDouble(), "bin " + b + " prob_true");
        }
    }

    @Test
    void of_multiclassFixture_neverPredictedClassHasZeroPrecisionAndRecall() {
        ClassificationQuality q = ClassificationMetrics.of(List.of("red", "green", "blue"), rows("multiclass"));

        ClassScores blue = q.perClass().get("blue");

        assertThat(blue.precision()).isZero();
        assertThat(blue.recall()).isZero();
        assertThat(blue.f1()).isZero();
        assertThat(blue.support()).isPositive();
        assertThat(q.confusion("blue", "red")).isPositive();
    }

    @Test
    void of_classesInAnotherOrderWithTheirProbabilities_sameFigures() {
        List<LabelledClassification> rows = rows("multiclass");
        List<LabelledClassification> reordered = rows.stream().map(r -> {
            double[] p = r.probabilities();
            return new LabelledClassification(r.actual(), r.predicted(), new double[] {p[2], p[0], p[1]});
        }).toList();

        ClassificationQuality q = ClassificationMetrics.of(List.of("red", "green", "blue"), rows);
        ClassificationQuality other = ClassificationMetrics.of(List.of("blue", "red", "green"), reordered);

        assertClose(other.logLoss().orElseThrow(), q.logLoss().orElseThrow(), "log loss");
        assertThat(other.perClass().get("green")).isEqualTo(q.perClass().get("green"));
        assertThat(other.confusion("blue", "green")).isEqualTo(q.confusion("blue", "green"));
        assertThat(other.reliability()).isEqualTo(q.reliability());
    }

    @Test
    void of_unknownActualLabel_throwsNamingTheLabel() {
        List<LabelledClassification> rows = List.of(LabelledClassification.of("yes", "yes"),
                LabelledClassification.of("maybe", "no"));

        assertThatThrownBy(() -> ClassificationMetrics.of(List.of("no", "yes"), rows))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'maybe'")
                .hasMessageContaining("row 1");
    }

    @Test
    void of_unknownPredictedLabel_throwsNamingTheLabel() {
        List<LabelledClassification> rows = List.of(LabelledClassification.of("yes", "YES"));

        assertThatThrownBy(() -> ClassificationMetrics.of(List.of("no", "yes"), rows))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predicted label 'YES'");
    }

    @Test
    void of_noRows_givesNaNFiguresAndNoProbabilityFigures() {
        ClassificationQuality q = ClassificationMetrics.of(List.of("no", "yes"), List.of());

        assertThat(q.rows()).isZero();
        assertThat(q.accuracy()).isNaN();
        assertThat(q.macro().f1()).isNaN();
        assertThat(q.weighted().precision()).isNaN();
        assertThat(q.perClass().get("yes").recall()).isNaN();
        assertThat(q.confusion()).isDeepEqualTo(new long[2][2]);
        assertThat(q.logLoss()).isEmpty();
        assertThat(q.brier()).isEmpty();
        assertThat(q.reliability()).isEmpty();
        assertThat(q.calibrationOf()).isEqualTo("positive class yes");
    }

    @Test
    void of_aRowWithoutProbabilities_hasLabelFiguresOnly() {
        List<LabelledClassification> rows = List.of(new LabelledClassification("yes", "yes", new double[] {0.2, 0.8}),
                LabelledClassification.of("no", "yes"));

        ClassificationQuality q = ClassificationMetrics.of(List.of("no", "yes"), rows);

        assertThat(q.accuracy()).isEqualTo(0.5);
        assertThat(q.perClass().get("yes").precision()).isEqualTo(0.5);
        assertThat(q.logLoss()).isEmpty();
        assertThat(q.brier()).isEmpty();
        assertThat(q.reliability()).isEmpty();
    }

    @Test
    void of_probabilitiesOfTheWrongLength_throws() {
        List<LabelledClassification> rows = List.of(new LabelledClassification("a", "b", new double[] {0.5, 0.5}));

        assertThatThrownBy(() -> ClassificationMetrics.of(List.of("a", "b", "c"), rows))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 probabilities, expected 3");
    }

    @Test
    void of_probabilityOutsideZeroOne_throws() {
        List<LabelledClassification> rows = List.of(new LabelledClassification("a", "b", new double[] {-0.1, 1.1}));

        assertThatThrownBy(() -> ClassificationMetrics.of(List.of("a", "b"), rows))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [0, 1]");
    }

    @Test
    void of_repeatedOrSingleClass_throws() {
        assertThatThrownBy(() -> ClassificationMetrics.of(List.of("a", "a"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> ClassificationMetrics.of(List.of("a"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two classes");
    }

    @Test
    void labelledClassification_probabilities_areCopied() {
        double[] p = {0.3, 0.7};
        LabelledClassification row = new LabelledClassification("a", "b", p);

        p[0] = 1;
        row.probabilities()[1] = 0;

        assertThat(row.probabilities()).containsExactly(0.3, 0.7);
        assertThat(row).isEqualTo(new LabelledClassification("a", "b", new double[] {0.3, 0.7}));
    }

    private static List<LabelledClassification> rows(String fixture) {
        List<LabelledClassification> rows = new ArrayList<>();
        for (String[] r : GoldenFixtures.csv(fixture + "/rows.csv")) {
            double[] p = new double[r.length - 2];
            for (int i = 0; i < p.length; i++) {
                p[i] = Double.parseDouble(r[i + 2]);
            }
            rows.add(new LabelledClassification(r[0], r[1], p));
        }
        return rows;
    }

    private static void assertScores(ClassScores actual, JsonNode expected, String what) {
        assertClose(actual.precision(), expected.get("precision").asDouble(), what + " precision");
        assertClose(actual.recall(), expected.get("recall").asDouble(), what + " recall");
        assertClose(actual.f1(), expected.get("f1").asDouble(), what + " f1");
    }
}
