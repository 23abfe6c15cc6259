package io.capstan.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's quality policy from its tags: the defaults, every tag read, and a value a tag does not take refused. */
class QualityPolicyTest {

    @Test
    void noTags_reportOnly_atTheDefaults() {
        assertThat(QualityPolicy.fromTags(Map.of("team", "fraud"))).isEqualTo(QualityPolicy.REPORT_ONLY);
    }

    @Test
    void everyTag_isRead() {
        QualityPolicy policy = QualityPolicy.fromTags(Map.of(
                "capstan.quality.on_challenger_better", "promote",
                "capstan.quality.on_challenger_worse", " END_CANARY ",
                "capstan.quality.alpha", "0.01",
                "capstan.quality.minimum_detectable_effect", "0.05",
                "capstan.quality.retrain_below_accuracy", "0.9",
                "capstan.quality.retrain_cooldown_hours", "0.5",
                "capstan.quality.min_labelled", "250",
                "capstan.quality.record_inputs", "true"));

        assertThat(policy.promoteBetter()).isTrue();
        assertThat(policy.endWorse()).isTrue();
        assertThat(policy.alpha()).isEqualTo(0.01);
        assertThat(policy.minimumDetectableEffect()).isEqualTo(0.05);
        assertThat(policy.retrainBelowAccuracy()).hasValue(0.9);
        assertThat(policy.retrainAboveError()).isEmpty();
        assertThat(policy.retrainCooldown()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.minLabelled()).isEqualTo(250);
    }

    @Test
    void aValueATagDoesNotTake_isRefused_namingTheTagAndWhatItTakes() {
        Map<String, String> wrong = Map.of(
                "capstan.quality.on_challenger_better", "promote it",
                "capstan.quality.alpha", "1.5",
                "capstan.quality.retrain_below_accuracy", "high",
                "capstan.quality.min_labelled", "-3",
                "capstan.quality.record_inputs", "yes");
        wrong.forEach((tag, value) -> assertThatThrownBy(() -> QualityPolicy.fromTags(Map.of(tag, value)))
                .as(tag).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag " + tag + " is '" + value.trim())
                .hasMessageContaining("it takes"));
    }
}
