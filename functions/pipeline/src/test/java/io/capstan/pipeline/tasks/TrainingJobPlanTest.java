package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.TrainerMetrics;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.pipeline.testutils.PipelineTestPlatform;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingJobPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "pipeline/breast-cancer/breast-cancer-manual-0a1b";
    private static final Map<String, String> HYPER = Map.of("label_column", "diagnosis", "seed", "42",
            "feature_columns", "mean_radius,mean_texture");
    /** SageMaker's TrainingJobName pattern; Batch accepts it too. */
    private static final String JOB_NAME = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";
    private static PipelineTestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new PipelineTestPlatform();
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    private static JsonNode plan(Map<String, String> requested) {
        return plan(requested, platform.services);
    }

    private static JsonNode plan(Map<String, String> requested, PipelineServices services) {
        return TrainingJobPlan.of(PipelineSettings.resolve(Map.of(), requested), "breast-cancer",
                "breast-cancer-manual-0a1b", HYPER, PREFIX, services);
    }

    @Test
    void of_defaults_planSageMakerCpuJobOnTheTrainerImage() throws Exception {
        JsonNode t = plan(Map.of());

        assertThat(t.path("platform").asText()).isEqualTo("sagemaker");
        assertThat(t.path("instance_type").asText()).isEqualTo("ml.m5.large");
        assertThat(t.path("gpu_count").asInt()).isZero();
        assertThat(t.path("image").asText()).isEqualTo(PipelineTestPlatform.TRAINER_IMAGE);
        assertThat(t.path("max_runtime_seconds").asLong()).isEqualTo(3600);
        assertThat(t.path("task_timeout_seconds").asLong()).isEqualTo(3600 + TrainingJobPlan.SAGEMAKER_OVERHEAD_SECONDS);
        assertThat(t.path("output_uri").asText()).isEqualTo("s3://capstan-artifacts/" + PREFIX + "/output/");
        assertThat(t.path("model_output_uri").asText()).isEqualTo("s3://capstan-artifacts/" + PREFIX + "/model/");
        assertThat(JSON.convertValue(t.path("hyperparameters"), Map.class)).isEqualTo(HYPER);
        assertThat(t.path("metric_definitions")).hasSize(TrainerMetrics.METRIC_DEFINITIONS.size());
        assertThat(t.at("/metric_definitions/0/Name").asText())
                .isEqualTo(TrainerMetrics.METRIC_DEFINITIONS.get(0).name());
        assertThat(t.path("batch_resources")).isEmpty();
        Map<String, String> expectedBatch = new LinkedHashMap<>(HYPER);
        expectedBatch.put("train_uri", "s3://capstan-artifacts/" + PREFIX + "/train/");
        expectedBatch.put("model_output_uri", "s3://capstan-artifacts/" + PREFIX + "/model/");
        assertThat(JSON.readValue(t.path("batch_hyperparameters").asText(), Map.class)).isEqualTo(expectedBatch);
    }

    @Test
    void of_batchWithGpus_asksBatchForThatManyGpus() {
        JsonNode t = plan(Map.of("training.platform", "Batch", "training.gpu_count", "2",
                "training.instance_type", "g5.xlarge"));

        assertThat(t.path("platform").asText()).isEqualTo("batch");
        assertThat(t.path("gpu_count").asInt()).isEqualTo(2);
        assertThat(t.path("batch_resources")).hasSize(1);
        assertThat(t.at("/batch_resources/0/Type").asText()).isEqualTo("GPU");
        assertThat(t.at("/batch_resources/0/Value").asText()).isEqualTo("2");
    }

    @Test
    void of_batchWithoutGpus_asksForNoGpuSoTheCpuQueueTakesIt() {
        JsonNode t = plan(Map.of("training.platform", "batch", "training.instance_type", "m6i.xlarge"));

        assertThat(t.path("gpu_count").asInt()).isZero();
        assertThat(t.path("batch_resources")).isEmpty();
    }

    @Test
    void of_batch_attemptsRunForTheMaxRuntimeAndTheStateWaitsForEveryAttemptAndItsQueueTime() {
        JsonNode t = plan(Map.of("training.platform", "batch", "training.max_runtime_seconds", "7200"));

        assertThat(t.path("batch_attempt_seconds").asLong()).isEqualTo(7200);
        assertThat(t.path("task_timeout_seconds").asLong()).isEqualTo(RetrainStateMachine.BATCH_ATTEMPTS
                * (RetrainStateMachine.BATCH_CAPACITY_WAIT_SECONDS + TrainingJobPlan.BATCH_START_SECONDS + 7200));
    }

    @Test
    void of_batchRuntimeUnderAMinute_attemptsRunTheMinuteBatchAccepts() {
        JsonNode t = plan(Map.of("training.platform", "batch", "training.max_runtime_seconds", "5"));

        assertThat(t.path("max_runtime_seconds").asLong()).isEqualTo(5);
        assertThat(t.path("batch_attempt_seconds").asLong()).isEqualTo(TrainingJobPlan.BATCH_MIN_ATTEMPT_SECONDS);
    }

    @Test
    void of_hugeRuntime_taskTimeoutStaysWithinAStandardExecutionsYear() {
        String huge = Integer.toString(Integer.MAX_VALUE);

        assertThat(plan(Map.of("training.max_runtime_seconds", huge)).path("task_timeout_seconds").asLong())
                .isEqualTo(TrainingJobPlan.MAX_TASK_TIMEOUT_SECONDS);
        assertThat(plan(Map.of("training.platform", "batch", "training.max_runtime_seconds", huge))
                .path("task_timeout_seconds").asLong()).isEqualTo(TrainingJobPlan.MAX_TASK_TIMEOUT_SECONDS);
    }

    @Test
    void of_batchWithACustomImage_failsNamingSageMakerAsTheWayToRunIt() {
        assertThatThrownBy(() -> plan(Map.of("training.platform", "batch", "training.image", "my/pytorch:2")))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("training.image 'my/pytorch:2' cannot run on AWS Batch")
                .hasMessageContaining("set training.platform to 'sagemaker'");
    }

    @Test
    void of_batchNamingTheDeployedTrainerImage_isAccepted() {
        JsonNode t = plan(Map.of("training.platform", "batch", "training.image", PipelineTestPlatform.TRAINER_IMAGE));

        assertThat(t.path("image").asText()).isEqualTo(PipelineTestPlatform.TRAINER_IMAGE);
    }

    @Test
    void of_batchGpusBeyondTheLargestInstanceWithinTheVcpuLimit_failsNamingTheLimitAndTheContextKey() {
        PipelineServices oneGpu = platform.services.deployedWith(ApprovalNotifier.NONE, 1);

        assertThat(plan(Map.of("training.platform", "batch", "training.gpu_count", "1"), oneGpu)
                .path("batch_resources")).hasSize(1);
        assertThatThrownBy(() -> plan(Map.of("training.platform", "batch", "training.gpu_count", "2"), oneGpu))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("training.gpu_count 2 is more than one instance of the Batch GPU compute "
                        + "environment holds (1 ")
                .hasMessageContaining("capstan:batchMaxVcpus");
        // SageMaker's instance type decides its GPUs: the Batch limit does not apply there
        assertThat(plan(Map.of("training.instance_type", "ml.g5.12xlarge", "training.gpu_count", "4"), oneGpu)
                .path("gpu_count").asInt()).isEqualTo(4);
    }

    @Test
    void of_sageMakerGpuInstance_keepsTheInstanceAndCount() {
        JsonNode t = plan(Map.of("training.instance_type", "ml.g5.xlarge", "training.gpu_count", "1"));

        assertThat(t.path("instance_type").asText()).isEqualTo("ml.g5.xlarge");
        assertThat(t.path("gpu_count").asInt()).isEqualTo(1);
    }

    @Test
    void of_sageMakerWithNonMlInstance_failsNamingTheSetting() {
        assertThatThrownBy(() -> plan(Map.of("training.instance_type", "g5.xlarge")))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("training.instance_type for SageMaker is an ml.* type (ml.m5.large, ml.g5.xlarge), got"
                        + " 'g5.xlarge'");
    }

    @Test
    void of_unknownPlatform_failsNamingTheSetting() {
        assertThatThrownBy(() -> plan(Map.of("training.platform", "EC2")))
                .hasMessage("training.platform must be 'sagemaker' or 'batch', got 'ec2'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "9", "1e10"})
    void of_gpuCountOutOfRange_failsNamingTheSetting(String gpus) {
        assertThatThrownBy(() -> plan(Map.of("training.platform", "batch", "training.gpu_count", gpus)))
                .hasMessageStartingWith("training.gpu_count must be between 0 and 8, got ");
    }

    @Test
    void of_fractionalGpuCount_failsRatherThanTruncate() {
        assertThatThrownBy(() -> plan(Map.of("training.platform", "batch", "training.gpu_count", "1.7")))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Pipeline setting 'training.gpu_count' must be a whole number, got '1.7'");
    }

    @Test
    void of_image_requestedBeatsDeployedBeatsLocal() {
        PipelineServices s = platform.services;
        PipelineServices local = new PipelineServices(s.tracking(), s.registry(), s.promotions(), s.artifacts(),
                s.datasets(), s.pipelines(), s.evaluation(), s.artifactBucket(), "", s.metricDefinitions(), s.clock());

        assertThat(plan(Map.of("training.image", "my/pytorch:2")).path("image").asText()).isEqualTo("my/pytorch:2");
        assertThat(plan(Map.of(), local).path("image").asText()).isEqualTo(TrainingJobPlan.LOCAL_IMAGE);
    }

    @Test
    void jobName_longNames_fitSageMakerAndStayDistinct() {
        String model = "customer_churn.model-with-a-rather-long-name_v2";
        String shared = "0123456789abcdef0123456789abcdef";

        String first = TrainingJobPlan.jobName(model, "first-upload-" + shared);
        String second = TrainingJobPlan.jobName(model, "second-upload-" + shared);

        assertThat(first).matches(JOB_NAME).startsWith("customer-churn-model-wit-");
        assertThat(second).matches(JOB_NAME);
        // the end of both execution names is the same 28 characters; the hash tells them apart
        assertThat(first).isNotEqualTo(second);
        assertThat(TrainingJobPlan.jobName(model, "first-upload-" + shared)).isEqualTo(first);
    }

    @Test
    void jobName_onlySymbols_fallsBackToPlaceholders() {
        assertThat(TrainingJobPlan.jobName("__", "!!")).matches("capstan-run-[0-9a-f]{8}");
    }
}
