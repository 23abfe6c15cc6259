package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.pipeline.tuning.SearchDimension;
import io.capstan.pipeline.tuning.SearchStrategy;
import io.capstan.pipeline.tuning.TuningSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
                        + " validation., hyperparameters., tuning.]");
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

    @ParameterizedTest
    @ValueSource(strings = {"1.7", "0.5", "two", "NaN", ""})
    void wholeNumber_fractionOrText_failsNamingTheSettingAndValue(String gpus) {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of("training.gpu_count", gpus));

        assertThatThrownBy(s::gpuCount)
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Pipeline setting 'training.gpu_count' must be a whole number, got '" + gpus + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "2.0", "2e0", "0.2e1"})
    void wholeNumber_integerInAnyNotation_isRead(String gpus) {
        assertThat(PipelineSettings.resolve(Map.of(), Map.of("training.gpu_count", gpus)).gpuCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-0.1", "1.5", "NaN"})
    void holdoutFraction_notStrictlyBetweenZeroAndOne_failsNamingTheSetting(String fraction) {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of("validation.holdout_fraction", fraction));

        assertThatThrownBy(s::holdoutFraction)
                .isInstanceOf(CapstanException.class)
                .hasMessage("validation.holdout_fraction must be above 0 and under 1, got " + fraction);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.01", "0.5", "0.99"})
    void holdoutFraction_strictlyBetweenZeroAndOne_isRead(String fraction) {
        assertThat(PipelineSettings.resolve(Map.of(), Map.of("validation.holdout_fraction", fraction))
                .holdoutFraction()).isEqualTo(Double.parseDouble(fraction));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.01", "0.51", "1", "NaN"})
    void minimumClassShare_outsideZeroToHalf_failsNamingTheSetting(String share) {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of("validation.minimum_class_share", share));

        assertThatThrownBy(s::minimumClassShare)
                .isInstanceOf(CapstanException.class)
                .hasMessage("validation.minimum_class_share must be between 0 and 0.5, got " + share);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.25", "0.5"})
    void minimumClassShare_zeroToHalfInclusive_isRead(String share) {
        assertThat(PipelineSettings.resolve(Map.of(), Map.of("validation.minimum_class_share", share))
                .minimumClassShare()).isEqualTo(Double.parseDouble(share));
    }

    @Test
    void validate_defaults_pass() {
        PipelineSettings defaults = PipelineSettings.resolve(Map.of(), Map.of());

        assertThat(defaults.validate()).isSameAs(defaults);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "training.platform | ec2 | training.platform must be 'sagemaker' or 'batch', got 'ec2'",
            "training.gpu_count | 1.7 | Pipeline setting 'training.gpu_count' must be a whole number, got '1.7'",
            "training.instance_type | g5.xlarge | training.instance_type for SageMaker is an ml.* type (ml.m5.large,"
                    + " ml.g5.xlarge), got 'g5.xlarge'",
            "training.max_runtime_seconds | 0 | training.max_runtime_seconds must be between 1 and 2147483647, got 0",
            "validation.minimum_rows | 20.5 | Pipeline setting 'validation.minimum_rows' must be a whole number, got"
                    + " '20.5'",
            "validation.minimum_class_share | 0.6 | validation.minimum_class_share must be between 0 and 0.5, got 0.6",
            "validation.holdout_fraction | 1 | validation.holdout_fraction must be above 0 and under 1, got 1",
            "hyperparameters.seed | 4.2 | Pipeline setting 'hyperparameters.seed' must be a whole number, got '4.2'",
            "gate.metric | auc | Unknown gate metric 'auc'; one of [accuracy, log_loss, macro_f1]",
            "gate.threshold | high | Pipeline setting 'gate.threshold' must be a number, got 'high'",
            "gate.manual_approval | yes | Pipeline setting 'gate.manual_approval' must be true or false, got 'yes'",
            "tuning.strategy | bayesian | tuning.strategy must be one of none, grid, random, halving; got 'bayesian'"})
    void validate_anyBadSetting_failsNamingIt(String key, String value, String message) {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of(key, value));

        assertThatThrownBy(s::validate)
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage(message);
    }

    @Test
    void tuning_unset_isNoSearch() {
        assertThat(PipelineSettings.resolve(Map.of(), Map.of()).tuning()).isEmpty();
    }

    @Test
    void tuning_fromTagsAndRequest_readsEverySettingWithItsDefaults() {
        PipelineSettings s = PipelineSettings.resolve(Map.of("capstan.pipeline.tuning.space.learning_rate",
                "loguniform(0.01, 1)"), Map.of("tuning.strategy", "random", "gate.metric", "log_loss",
                "hyperparameters.seed", "9"));

        TuningSettings t = s.validate().tuning().orElseThrow();

        assertThat(t.strategy()).isEqualTo(SearchStrategy.RANDOM);
        assertThat(t.space().dimensions()).containsExactly(new SearchDimension.LogUniform("learning_rate", 0.01, 1));
        assertThat(t.maxTrials()).isEqualTo(10);
        assertThat(t.maxParallel()).isEqualTo(2);
        // the objective follows the gate's metric, and log loss is minimized
        assertThat(t.objective()).isEqualTo("log_loss");
        assertThat(t.maximize()).isFalse();
        assertThat(t.seed()).isEqualTo(9);
        assertThat(t.validationFraction()).isEqualTo(0.2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tuning.max_trials | 201 | tuning.max_trials must be between 1 and 200, got 201",
            "tuning.max_parallel | 0 | tuning.max_parallel must be between 1 and 50, got 0",
            "tuning.objective | auc | tuning.objective must be one of [accuracy, log_loss, macro_f1], got 'auc'",
            "tuning.direction | up | tuning.direction must be maximize or minimize (or unset: by the objective), got 'up'",
            "tuning.validation_fraction | 0 | tuning.validation_fraction must be above 0 and under 1, got 0",
            "tuning.space.lr | [] | tuning.space.lr '[]' is not a search space: a list has no empty values"})
    void tuning_badSetting_failsNamingIt(String key, String value, String message) {
        PipelineSettings s = PipelineSettings.resolve(Map.of(), Map.of("tuning.strategy", "random",
                "tuning.space.learning_rate", "[0.1, 0.2]", key, value));

        assertThatThrownBy(s::validate).isInstanceOf(CapstanException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tuning.engine=katib | tuning.engine must be 'capstan' or 'sagemaker', got 'katib'",
            "tuning.strategy=halving | tuning.engine sagemaker runs grid and random searches; halving on epochs is"
                    + " Capstan's (tuning.engine capstan)",
            "training.platform=batch | tuning.engine sagemaker runs a SageMaker hyperparameter tuning job, which"
                    + " trains on SageMaker: set training.platform to sagemaker, or tuning.engine to capstan to search"
                    + " on Batch"})
    void tuningEngine_aSearchSageMakerCannotRun_isRefused(String setting, String message) {
        String[] pair = setting.split("=");
        Map<String, String> requested = new java.util.HashMap<>(Map.of("tuning.engine", "sagemaker",
                "tuning.strategy", "random", "tuning.space.learning_rate", "[0.1, 0.2]"));
        requested.put(pair[0], pair[1]);

        assertThatThrownBy(() -> PipelineSettings.resolve(Map.of(), requested).validate()).hasMessage(message);
    }
}
