package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON written with single quotes, for readability. */
    private static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static PipelineRequest parse(String singleQuoted) {
        return PipelineRequest.fromJson(json(singleQuoted));
    }

    @Test
    void fromJson_datasetUri_splitsBucketAndKeyAndDefaultsTheRest() {
        PipelineRequest r = parse("{'model_name': 'breast-cancer',"
                + " 'dataset_uri': 's3://capstan-datasets/datasets/breast-cancer/2026-11-22.csv'}");

        assertThat(r.datasetBucket()).isEqualTo("capstan-datasets");
        assertThat(r.datasetKey()).isEqualTo("datasets/breast-cancer/2026-11-22.csv");
        assertThat(r.datasetVersion()).isEmpty();
        assertThat(r.trigger()).isEqualTo("manual");
        assertThat(r.settings()).isEmpty();
        assertThat(r.datasetUri()).isEqualTo("s3://capstan-datasets/datasets/breast-cancer/2026-11-22.csv");
    }

    @Test
    void fromJson_datasetObject_keepsVersionAndTrigger() {
        PipelineRequest r = parse("{'model_name': 'churn', 'trigger': 'upload', 'dataset':"
                + " {'bucket': 'capstan-datasets', 'key': 'datasets/churn/2024-06.csv',"
                + " 'version_id': '3HL4kqtJlcpXroDTDmJ'}}");

        assertThat(r.modelName()).isEqualTo("churn");
        assertThat(r.datasetKey()).isEqualTo("datasets/churn/2024-06.csv");
        assertThat(r.datasetVersion()).isEqualTo("3HL4kqtJlcpXroDTDmJ");
        assertThat(r.trigger()).isEqualTo("upload");
    }

    @Test
    void fromJson_overrideSections_areFlattenedToSettingStrings() {
        PipelineRequest r = parse("{'model_name': 'churn', 'dataset_uri': 's3://b/datasets/churn/a.csv',"
                + " 'training': {'platform': 'batch', 'gpu_count': 2},"
                + " 'gate': {'threshold': 0.85, 'manual_approval': true}, 'hyperparameters': {'epochs': 30}}");

        assertThat(r.settings()).isEqualTo(Map.of("training.platform", "batch", "training.gpu_count", "2",
                "gate.threshold", "0.85", "gate.manual_approval", "true", "hyperparameters.epochs", "30"));
        // and they are settings the resolver knows
        assertThat(PipelineSettings.resolve(Map.of(), r.settings()).number("training.gpu_count")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'dataset_uri': 's3://b/k.csv'}", "{'model_name': 7, 'dataset_uri': 's3://b/k.csv'}",
            "{'model_name': '  ', 'dataset_uri': 's3://b/k.csv'}"})
    void fromJson_missingOrNonTextModelName_namesTheField(String body) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Missing value for required parameter 'model_name'.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://capstan-datasets/datasets/m/a.csv", "s3://capstan-datasets", "datasets/m/a.csv"})
    void fromJson_datasetUriNotS3_explainsTheForm(String uri) {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': '" + uri + "'}"))
                .hasMessage("'dataset_uri' must be s3://<bucket>/<key>, got '" + uri + "'");
    }

    @Test
    void fromJson_noDataset_namesBothWaysToGiveOne() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset': 's3://b/k.csv'}"))
                .hasMessageContaining("'dataset_uri'").hasMessageContaining("'dataset': {\"bucket\", \"key\"}");
    }

    @Test
    void fromJson_folderKey_asksForTheFile() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/datasets/m/'}"))
                .hasMessage("The dataset key 'datasets/m/' names a folder; name the CSV file.");
    }

    @Test
    void fromJson_badOverrideShapes_nameTheSectionOrSetting() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv', 'training': 'batch'}"))
                .hasMessage("'training' must be an object.");
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv',"
                + " 'gate': {'threshold': {'value': 0.8}}}"))
                .hasMessage("'gate.threshold' must be a string, number or boolean.");
    }

    @Test
    void fromJson_datasetUriWithEmptyBucket_isRejected() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3:///datasets/m/a.csv'}"))
                .isInstanceOf(CapstanException.class);
    }

    @Test
    void fromJson_datasetUriWithEmptyBucket_namesTheFieldAndTheForm() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3:///datasets/m/a.csv'}"))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("'dataset_uri' names no bucket; give s3://<bucket>/<key>, got 's3:///datasets/m/a.csv'");
    }

    @Test
    void fromJson_validationSection_isFlattenedToSettingsTheResolverReads() {
        PipelineRequest r = parse("{'model_name': 'churn', 'dataset_uri': 's3://b/datasets/churn/a.csv',"
                + " 'validation': {'holdout_fraction': 0.3, 'minimum_rows': 50}}");

        assertThat(r.settings()).isEqualTo(Map.of("validation.holdout_fraction", "0.3",
                "validation.minimum_rows", "50"));
        PipelineSettings settings = PipelineSettings.resolve(Map.of(), r.settings());
        assertThat(settings.holdoutFraction()).isEqualTo(0.3);
        assertThat(settings.minimumRows()).isEqualTo(50);
    }

    @Test
    void fromJson_validationNotAnObject_namesTheSection() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv', 'validation': 0.3}"))
                .hasMessage("'validation' must be an object.");
    }

    @Test
    void fromJson_tuningSpace_becomesOneSettingPerHyperparameterListsAsText() {
        PipelineRequest req = parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv', 'tuning': {'strategy': "
                + "'random', 'max_trials': 6, 'space': {'learning_rate': 'loguniform(0.001, 1)', 'minibatch_size': "
                + "[1, 8, 32], 'kernel': ['linear', 'rbf']}}}");

        assertThat(req.settings()).containsEntry("tuning.strategy", "random").containsEntry("tuning.max_trials", "6")
                .containsEntry("tuning.space.learning_rate", "loguniform(0.001, 1)")
                .containsEntry("tuning.space.minibatch_size", "[1, 8, 32]")
                .containsEntry("tuning.space.kernel", "[linear, rbf]")
                .doesNotContainKey("tuning.space");
    }

    @Test
    void fromJson_badTuningSpace_namesTheSetting() {
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv', 'tuning': {'space': "
                + "'lr'}}")).hasMessageStartingWith("'tuning.space' must be an object");
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv', 'tuning': {'space': "
                + "{'lr': 0.1}}}")).hasMessageStartingWith("'tuning.space.lr' must be a range");
        assertThatThrownBy(() -> parse("{'model_name': 'm', 'dataset_uri': 's3://b/k.csv', 'tuning': {'space': "
                + "{'lr': [0.1, [1]]}}}")).hasMessageStartingWith("'tuning.space.lr' lists strings, numbers or booleans");
    }
}
