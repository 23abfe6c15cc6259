package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.pipeline.testutils.PipelineTestPlatform;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import io.capstan.tracking.ViewType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The validate task through {@link PipelineTasks}: the dataset read from the dataset bucket (S3Proxy), the run
 * recorded in tracking and the model created in the registry (DynamoDB Local), the splits written to the artifact
 * bucket.
 */
class ValidateTaskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXECUTION = "breast-cancer-manual-5e6f7a8b";
    private static PipelineTestPlatform platform;
    private static PipelineTasks tasks;

    @BeforeAll
    static void start() throws Exception {
        platform = new PipelineTestPlatform();
        tasks = new PipelineTasks(platform.services);
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    /** 12 benign and 8 malignant rows, the label in column {@code diagnosis}; {@code bad} replaces row 3's radius. */
    private static String csv(String bad) {
        StringBuilder csv = new StringBuilder("mean_radius,mean_texture,diagnosis\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i == 2 && bad != null ? bad : Double.toString(11 + i * 0.5)).append(',')
                    .append(15 + i * 0.25).append(',').append(i % 5 < 3 ? "B" : "M").append('\n');
        }
        return csv.toString();
    }

    private static JsonNode validate(String model, String datasetUri) {
        ObjectNode payload = JSON.createObjectNode().put("task", "validate").put("execution", EXECUTION);
        ObjectNode request = payload.putObject("request").put("model_name", model).put("dataset_uri", datasetUri);
        request.putObject("hyperparameters").put("label_column", "diagnosis");
        return tasks.run(payload);
    }

    /** Validates {@code dataset} (bucket, key, version_id) with {@code settings} as the request's sections. */
    private static JsonNode validate(String model, ObjectNode dataset, Map<String, Map<String, Object>> settings) {
        ObjectNode payload = JSON.createObjectNode().put("task", "validate").put("execution", EXECUTION);
        ObjectNode request = payload.putObject("request").put("model_name", model);
        request.set("dataset", dataset);
        request.putObject("hyperparameters").put("label_column", "diagnosis");
        settings.forEach((section, values) -> {
            ObjectNode node = request.has(section) ? (ObjectNode) request.get(section) : request.putObject(section);
            values.forEach((key, value) -> node.set(key, JSON.valueToTree(value)));
        });
        return tasks.run(payload);
    }

    private static ObjectNode dataset(String key, String version) {
        return JSON.createObjectNode().put("bucket", PipelineTestPlatform.DATASETS).put("key", key)
                .put("version_id", version);
    }

    /** Whether tracking holds an experiment, and so any run, for the model. */
    private static boolean hasExperiment(String model) {
        return !platform.services.tracking().searchExperiments(ViewType.ACTIVE_ONLY, "name = '" + model + "'",
                List.of(), 1, null).items().isEmpty();
    }

    private static boolean isRegistered(String model) {
        try {
            platform.services.registry().getRegisteredModel(model);
            return true;
        } catch (CapstanException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
            return false;
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validate_goodDataset_plansTrainingOnSplitsAndRecordsTheDigest() throws Exception {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/2026-11-22.csv";
        String csv = csv(null);
        platform.putDataset(key, csv);

        JsonNode plan = validate(model, "s3://capstan-datasets/" + key);

        String prefix = "pipeline/" + model + "/" + EXECUTION;
        assertThat(plan.path("model_name").asText()).isEqualTo(model);
        assertThat(plan.path("champion_version").asText()).isEmpty();
        assertThat(plan.path("holdout_uri").asText()).isEqualTo("s3://capstan-artifacts/" + prefix
                + "/holdout/holdout.csv");
        JsonNode dataset = plan.path("dataset");
        assertThat(dataset.path("sha256").asText()).isEqualTo(sha256(csv));
        // per class, round(0.2 x 12) = 2 and round(0.2 x 8) = 2 rows are held out
        assertThat(dataset.path("rows").asInt()).isEqualTo(20);
        assertThat(dataset.path("holdout_rows").asInt()).isEqualTo(4);
        assertThat(dataset.path("train_rows").asInt()).isEqualTo(16);
        assertThat(JSON.convertValue(dataset.path("label_counts"), Map.class)).isEqualTo(Map.of("B", 12, "M", 8));
        assertThat(dataset.path("features").toString()).isEqualTo("[\"mean_radius\",\"mean_texture\"]");
        assertThat(plan.at("/training/hyperparameters/feature_columns").asText()).isEqualTo("mean_radius,mean_texture");
        assertThat(plan.at("/gate/threshold").asDouble()).isEqualTo(0.5);

        LabelledDataset train = LabelledDataset.parse(platform.artifact(prefix + "/train/train.csv").orElseThrow()
                .getBytes(StandardCharsets.UTF_8), "train");
        LabelledDataset holdout = LabelledDataset.parse(platform.artifact(prefix + "/holdout/holdout.csv").orElseThrow()
                .getBytes(StandardCharsets.UTF_8), "holdout");
        List<List<String>> both = new ArrayList<>(train.rows());
        both.addAll(holdout.rows());
        assertThat(both).containsExactlyInAnyOrderElementsOf(LabelledDataset.parse(csv.getBytes(StandardCharsets.UTF_8),
                "all").rows());
        assertThat(holdout.rows()).hasSize(4);

        Run run = platform.services.tracking().getRun(plan.path("run_id").asText());
        assertThat(run.info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.tags()).containsEntry("capstan.dataset.sha256", sha256(csv))
                .containsEntry("capstan.pipeline.execution", EXECUTION);
        assertThat(run.params()).containsEntry("feature_columns", "mean_radius,mean_texture");
        assertThat(run.inputs()).singleElement()
                .satisfies(i -> assertThat(i.dataset().digest()).isEqualTo(sha256(csv)));
        assertThat(platform.services.registry().getRegisteredModel(model).name()).isEqualTo(model);
    }

    @Test
    void validate_wordInFeatureColumn_failsTheRunAndWritesNoSplits() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/bad.csv";
        platform.putDataset(key, csv("seventeen"));
        String expected = "s3://capstan-datasets/" + key + " row 3, column 'mean_radius': 'seventeen' is not a finite"
                + " number";

        assertThatThrownBy(() -> validate(model, "s3://capstan-datasets/" + key))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("DatasetInvalid");
                    assertThat(f.getMessage()).isEqualTo(expected);
                    Run run = platform.services.tracking().getRun(f.runId());
                    assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
                    assertThat(run.tags()).containsEntry("capstan.failure", expected);
                });
        assertThat(platform.artifact("pipeline/" + model + "/" + EXECUTION + "/train/train.csv")).isEmpty();
    }

    @Test
    void validate_noObjectAtKey_failsNamingTheUri() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");

        assertThatThrownBy(() -> validate(model, "s3://capstan-datasets/datasets/" + model + "/missing.csv"))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("DatasetInvalid");
                    assertThat(f.getMessage()).isEqualTo("There is no dataset at s3://capstan-datasets/datasets/"
                            + model + "/missing.csv");
                    assertThat(f.runId()).isNotEmpty();
                });
    }

    @Test
    void validate_malformedRequest_failsAsRequestInvalidBeforeAnyRun() {
        assertThatThrownBy(() -> validate("breast-cancer", "https://example.com/data.csv"))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("RequestInvalid");
                    assertThat(f.getMessage()).contains("'dataset_uri' must be s3://<bucket>/<key>");
                    assertThat(f.runId()).isEmpty();
                    assertThat(f.causeJson()).isEqualTo(JSON.createObjectNode().put("message", f.getMessage())
                            .toString());
                });
    }

    @Test
    void validate_datasetInAnotherBucket_isNotReadFromTheDatasetBucket() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/2026-11-22.csv";
        platform.putDataset(key, csv(null));

        assertThatThrownBy(() -> validate(model, "s3://someone-elses-bucket/" + key))
                .isInstanceOf(TaskFailure.class);
    }

    @Test
    void validate_datasetInAnotherBucket_failsNamingBothBucketsBeforeAnyWrite() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/2026-11-22.csv";
        platform.putDataset(key, csv(null));

        assertThatThrownBy(() -> validate(model, "s3://someone-elses-bucket/" + key))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("RequestInvalid");
                    assertThat(f.getMessage()).isEqualTo("The dataset s3://someone-elses-bucket/" + key + " is in"
                            + " bucket 'someone-elses-bucket'; the pipeline trains only on datasets in the dataset"
                            + " bucket 'capstan-datasets': upload it there and give s3://capstan-datasets/<key>.");
                    assertThat(f.runId()).isEmpty();
                });
        assertThat(isRegistered(model)).isFalse();
        assertThat(hasExperiment(model)).isFalse();
    }

    @Test
    void validate_currentVersionNamed_trainsOnIt() throws Exception {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/latest.csv";
        platform.putDataset(key, csv("9.5"));
        String current = csv(null);
        String version = platform.putDataset(key, current);

        JsonNode plan = validate(model, dataset(key, version), Map.of());

        assertThat(plan.at("/dataset/sha256").asText()).isEqualTo(sha256(current));
        assertThat(plan.at("/dataset/version").asText()).isEqualTo(version);
    }

    @Test
    void validate_versionOverwrittenSince_failsRatherThanTrainOnOtherBytes() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/latest.csv";
        String uploaded = platform.putDataset(key, csv(null));
        platform.putDataset(key, csv("9.5"));

        assertThatThrownBy(() -> validate(model, dataset(key, uploaded), Map.of()))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("DatasetInvalid");
                    assertThat(f.getMessage()).isEqualTo("There is no dataset at s3://capstan-datasets/" + key
                            + " in version '" + uploaded + "' (the version the request names)");
                });
    }

    @Test
    void validate_validationSectionInRequest_isHonoured() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/2026-11-22.csv";
        platform.putDataset(key, csv(null));

        JsonNode plan = validate(model, dataset(key, ""), Map.of("validation", Map.of("holdout_fraction", 0.5)));

        // per class, round(0.5 x 12) = 6 and round(0.5 x 8) = 4 rows are held out, not the default 2 and 2
        assertThat(plan.at("/dataset/holdout_rows").asInt()).isEqualTo(10);
        assertThat(plan.at("/dataset/train_rows").asInt()).isEqualTo(10);
    }

    @Test
    void validate_badSettingForNewModel_failsBeforeCreatingTheModelOrARun() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String key = "datasets/" + model + "/2026-11-22.csv";
        platform.putDataset(key, csv(null));

        assertThatThrownBy(() -> validate(model, dataset(key, ""), Map.of("training", Map.of("platform", "batch",
                "gpu_count", 1.7))))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("RequestInvalid");
                    assertThat(f.getMessage()).isEqualTo("Pipeline setting 'training.gpu_count' must be a whole"
                            + " number, got '1.7'");
                    assertThat(f.runId()).isEmpty();
                });
        assertThat(isRegistered(model)).isFalse();
        assertThat(hasExperiment(model)).isFalse();
    }

    @Test
    void validate_badSettingInModelTag_failsBeforeAnyRun() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        platform.services.registry().createRegisteredModel(model, "", Map.of(
                "capstan.pipeline.validation.holdout_fraction", "1"));
        String key = "datasets/" + model + "/2026-11-22.csv";
        platform.putDataset(key, csv(null));

        assertThatThrownBy(() -> validate(model, dataset(key, ""), Map.of()))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("RequestInvalid");
                    assertThat(f.getMessage()).isEqualTo("validation.holdout_fraction must be above 0 and under 1,"
                            + " got 1");
                    assertThat(f.runId()).isEmpty();
                });
        assertThat(hasExperiment(model)).isFalse();
    }
}
