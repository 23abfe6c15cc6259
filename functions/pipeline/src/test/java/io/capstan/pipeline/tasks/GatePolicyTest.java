package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatePolicyTest {

    private static ClassificationScores accuracy(double value) {
        return new ClassificationScores(value, 0.4, 0.7, 100);
    }

    private static ClassificationScores logLoss(double value) {
        return new ClassificationScores(0.8, value, 0.7, 100);
    }

    private static Optional<GatePolicy.ChampionScore> champion(long version, ClassificationScores scores) {
        return Optional.of(new GatePolicy.ChampionScore(version, scores));
    }

    @Test
    void decide_belowThreshold_rejectsWhateverTheChampion() {
        GatePolicy.Decision d = new GatePolicy("accuracy", 0.8, 0.0).decide(accuracy(0.7), champion(3, accuracy(0.5)),
                "holdout");

        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).isEqualTo("on the holdout accuracy 0.7000 < threshold 0.8000");
    }

    @Test
    void decide_noChampionAndExactlyAtThreshold_promotes() {
        GatePolicy.Decision d = new GatePolicy("accuracy", 0.8, 0.0).decide(accuracy(0.8), Optional.empty(), "holdout");

        assertThat(d.promote()).isTrue();
        assertThat(d.reason()).isEqualTo("on the holdout accuracy 0.8000 >= threshold 0.8000; no champion yet");
    }

    @Test
    void decide_beatsChampionByMoreThanMargin_promotesAndSaysByHowMuch() {
        GatePolicy.Decision d = new GatePolicy("accuracy", 0.8, 0.02).decide(accuracy(0.95), champion(3, accuracy(0.9)),
                "holdout");

        assertThat(d.promote()).isTrue();
        assertThat(d.reason()).isEqualTo("on the holdout accuracy 0.9500 >= threshold 0.8000; against champion v3"
                + " (0.9000) the accuracy improves by 0.0500, margin 0.0200");
    }

    @Test
    void decide_improvesLessThanMargin_isNotPromoted() {
        GatePolicy.Decision d = new GatePolicy("accuracy", 0.8, 0.02).decide(accuracy(0.91), champion(3, accuracy(0.9)),
                "holdout");

        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).endsWith("against champion v3 (0.9000) the accuracy improves by 0.0100, margin 0.0200:"
                + " not promoted");
    }

    @Test
    void decide_worseThanChampionWithZeroMargin_isNotPromoted() {
        GatePolicy.Decision d = new GatePolicy("accuracy", 0.8, 0.0).decide(accuracy(0.88), champion(7, accuracy(0.9)),
                "holdout");

        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).endsWith("against champion v7 (0.9000) the accuracy worsens by 0.0200, margin 0.0000:"
                + " not promoted");
    }

    @Test
    void decide_tiesChampionWithZeroMargin_promotes() {
        GatePolicy policy = new GatePolicy("macro_f1", 0.5, 0.0);
        ClassificationScores same = new ClassificationScores(0.8, 0.4, 0.75, 100);

        assertThat(policy.decide(same, champion(2, same), "holdout").promote()).isTrue();
    }

    @Test
    void decide_gainEqualToMarginBarFloatingPointError_promotes() {
        // 0.3 - 0.2 is 0.09999999999999998 in doubles: still a gain of the whole 0.1 margin
        GatePolicy.Decision d = new GatePolicy("accuracy", 0.0, 0.1).decide(accuracy(0.3), champion(1, accuracy(0.2)),
                "holdout");

        assertThat(d.promote()).isTrue();
    }

    @Test
    void decide_logLoss_lowerIsBetterForThresholdAndChampion() {
        GatePolicy policy = new GatePolicy("log_loss", 0.5, 0.04);

        GatePolicy.Decision better = policy.decide(logLoss(0.30), champion(2, logLoss(0.35)), "reference rows");
        GatePolicy.Decision tooHigh = policy.decide(logLoss(0.6), Optional.empty(), "reference rows");

        assertThat(better.promote()).isTrue();
        assertThat(better.reason()).isEqualTo("on the reference rows log_loss 0.3000 <= threshold 0.5000; against"
                + " champion v2 (0.3500) the log_loss improves by 0.0500, margin 0.0400");
        assertThat(tooHigh.promote()).isFalse();
        assertThat(tooHigh.reason()).isEqualTo("on the reference rows log_loss 0.6000 > threshold 0.5000");
    }

    @Test
    void new_unknownMetric_failsListingTheKnownOnes() {
        assertThatThrownBy(() -> new GatePolicy("f1", 0.5, 0.0))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Unknown gate metric 'f1'; one of [accuracy, log_loss, macro_f1]");
    }

    @Test
    void new_negativeOrNaNMargin_failsNamingTheSetting() {
        assertThatThrownBy(() -> new GatePolicy("accuracy", 0.5, -0.01))
                .isInstanceOf(CapstanException.class)
                .hasMessage("gate.margin must be 0 or more, got -0.01");
        assertThatThrownBy(() -> new GatePolicy("accuracy", 0.5, Double.NaN))
                .hasMessage("gate.margin must be 0 or more, got NaN");
    }
}
