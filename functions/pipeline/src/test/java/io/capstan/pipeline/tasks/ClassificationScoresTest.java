package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationScoresTest {
    private static final List<String> LABELS = List.of("B", "M");
    /** -ln(1e-15): the loss of a row whose true label got probability 0, after clipping. */
    private static final double MAX_ROW_LOSS = 15 * Math.log(10);

    @Test
    void of_certainCorrectPredictions_scorePerfectly() {
        ClassificationScores s = ClassificationScores.of(new float[][] {{1f, 0f}, {0f, 1f}}, LABELS, List.of("B", "M"));

        assertThat(s.accuracy()).isEqualTo(1.0);
        assertThat(s.macroF1()).isEqualTo(1.0);
        // p = 1 is clipped to 1 - 1e-15, so the loss is tiny but not negative
        assertThat(s.logLoss()).isBetween(0.0, 1e-14);
        assertThat(s.rows()).isEqualTo(2);
    }

    @Test
    void of_mixedPredictions_matchHandComputedMetrics() {
        float[][] p = {{0.9f, 0.1f}, {0.4f, 0.6f}, {0.2f, 0.8f}, {0.3f, 0.7f}};

        ClassificationScores s = ClassificationScores.of(p, LABELS, List.of("B", "B", "M", "M"));

        // predicted B, M, M, M: three of four right
        assertThat(s.accuracy()).isEqualTo(0.75);
        // B: precision 1/1, recall 1/2, F1 2/3; M: precision 2/3, recall 2/2, F1 4/5
        assertThat(s.macroF1()).isCloseTo((2.0 / 3 + 4.0 / 5) / 2, within(1e-12));
        double expectedLoss = -(Math.log(0.9f) + Math.log(0.4f) + Math.log(0.8f) + Math.log(0.7f)) / 4;
        assertThat(s.logLoss()).isCloseTo(expectedLoss, within(1e-12));
    }

    @Test
    void of_zeroProbabilityForTrueLabel_clipsLossInsteadOfInfinity() {
        ClassificationScores s = ClassificationScores.of(new float[][] {{1f, 0f}}, LABELS, List.of("M"));

        assertThat(s.accuracy()).isZero();
        assertThat(s.logLoss()).isCloseTo(MAX_ROW_LOSS, within(1e-9));
        assertThat(s.macroF1()).isZero();
    }

    @Test
    void of_trueLabelTheModelNeverOutputs_countsAsWrongWithMaximalLoss() {
        ClassificationScores s = ClassificationScores.of(new float[][] {{1f, 0f}, {1f, 0f}}, LABELS,
                List.of("B", "unknown"));

        assertThat(s.accuracy()).isEqualTo(0.5);
        assertThat(s.logLoss()).isCloseTo(MAX_ROW_LOSS / 2, within(1e-9));
        // B: predicted twice, right once (precision 1/2, recall 1/1, F1 2/3); M: nothing to count, 0
        assertThat(s.macroF1()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void metric_byName_readsTheMatchingScoreAndRefusesOthers() {
        ClassificationScores s = new ClassificationScores(0.9, 0.3, 0.8, 10);

        assertThat(s.metric("accuracy")).isEqualTo(0.9);
        assertThat(s.metric("log_loss")).isEqualTo(0.3);
        assertThat(s.metric("macro_f1")).isEqualTo(0.8);
        assertThat(ClassificationScores.higherIsBetter("log_loss")).isFalse();
        assertThat(ClassificationScores.higherIsBetter("macro_f1")).isTrue();
        assertThatThrownBy(() -> s.metric("auc"))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Unknown gate metric 'auc'; one of [accuracy, log_loss, macro_f1]");
    }
}
