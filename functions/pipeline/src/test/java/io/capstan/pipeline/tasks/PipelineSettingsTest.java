package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    @Test
    void resolve_nothingSet_givesCapstanDefaults() {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of());

        assertThat(s.text("training.platform")).isEqualTo("sagemaker");
        assertThat(s.text("training.instance_type")).isEqualTo("ml.m5.large");
        assertThat(s.number("training.gpu_count")).isZero();
        assertThat(s.text("gate.metric")).isEqualTo("accuracy");
        assertThat(s.number("gate.threshold")).isEqualTo(0.5);
        assertThat(s.flag("gate.manual_approval")).isFalse();
        assertThat(s.number("validation.holdout_fraction")).isEqualTo(0.2);
        assertThat(s.hyperparameters()).isEqualTo(Map.of("label_column", "label", "seed", "42"));
    }

    @Test
    void resolve_modelTagsAndRequest_requestWinsOverTagsOverDefaults() {
        Map<String, String> tags = Map.of("capstan.pipeline.gate.threshold", "0.8", "capstan.pipeline.gate.metric",
                "macro_f1", "owner", "team-a");

        PipelineSettings s = PipelineSettings.resolve(tags, Map.of("gate.threshold", "0.9"));

        assertThat(s.number("gate.threshold")).isEqualTo(0.9);
        assertThat(s.text("gate.metric")).isEqualTo("macro_f1");
        assertThat(s.text("gate.margin")).isEqualTo("0.0");
        // a tag without the prefix is the model's business, not a setting
        assertThat(s.values()).doesNotContainKey("owner");
    }

    @Test
    void resolve_unknownSection_failsNamingTheSettingAndSections() {
        assertThatThrownBy(() -> PipelineSettings.resolve(Map.of(), Map.of("trainng.platform", "batch")))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Unknown pipeline setting 'trainng.platform'; settings start with [training., gate.,"
                        + " validation., hyperparameters.]");
    }

    @Test
    void resolve_unknownKeyInKnownSection_failsWhetherFromRequestOrTag() {
        assertThatThrownBy(() -> PipelineSettings.resolve(Map.of(), Map.of("gate.minimum", "0.8")))
                .hasMessageStartingWith("Unknown pipeline setting 'gate.minimum'; known: [")
                .hasMessageContaining("gate.threshold");
        assertThatThrownBy(() -> PipelineSettings.resolve(Map.of("capstan.pipeline.validation.rows", "5"), Map.of()))
                .hasMessageStartingWith("Unknown pipeline setting 'validation.rows'; known: [");
    }

    @Test
    void resolve_anyHyperparameter_reachesTheTrainerAsAString() {
        PipelineSettings s = PipelineSettings.resolve(Map.of("capstan.pipeline.hyperparameters.algorithm", "sgd"),
                Map.of("hyperparameters.epochs", "30", "hyperparameters.label_column", "diagnosis"));

        assertThat(s.hyperparameters()).isEqualTo(Map.of("algorithm", "sgd", "epochs", "30",
                "label_column", "diagnosis", "seed", "42"));
    }

    @Test
    void number_notANumber_failsNamingTheSettingAndValue() {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of("gate.threshold", "high"));

        assertThatThrownBy(() -> s.number("gate.threshold"))
                .isInstanceOf(CapstanException.class)
                .hasMessage("Pipeline setting 'gate.threshold' must be a number, got 'high'");
        assertThatThrownBy(() -> GatePolicy.of(s)).hasMessageContaining("'gate.threshold'");
    }

    @Test
    void flag_trueFalseInAnyCase_readsAndOtherValuesFail() {
        assertThat(PipelineSettings.resolve(Map.of(), Map.of("gate.manual_approval", "TRUE"))
                .flag("gate.manual_approval")).isTrue();
        PipelineSettings yes = PipelineSettings.resolve(Map.of(), Map.of("gate.manual_approval", "yes"));

        assertThatThrownBy(() -> yes.flag("gate.manual_approval"))
                .isInstanceOf(CapstanException.class)
                .hasMessage("Pipeline setting 'gate.manual_approval' must be true or false, got 'yes'");
    }
}
