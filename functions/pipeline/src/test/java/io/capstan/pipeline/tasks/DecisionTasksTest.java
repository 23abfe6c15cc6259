package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.testutils.PipelineTestPlatform;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.PromotionService;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision tasks (gate, promote, reject, record the failure) through {@link PipelineTasks}, on the real registry,
 * promotion and tracking services over DynamoDB Local and S3Proxy.
 */
class DecisionTasksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXECUTION = "breast-cancer-manual-0a1b2c3d";
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

    private static JsonNode run(String task, ObjectNode state) {
        ObjectNode payload = JSON.createObjectNode().put("task", task).put("execution", EXECUTION);
        payload.set("state", state);
        return tasks.run(payload);
    }

    private static String startRun(String model) {
        RunRecorder runs = new RunRecorder(platform.services.tracking(), platform.services.clock());
        return runs.start(model, EXECUTION, "manual").info().runId();
    }

    /** The state after registration: the model, its run and the registered version. */
    private static ObjectNode registered(String model, String runId, long version) {
        ObjectNode state = JSON.createObjectNode().put("model_name", model).put("execution", EXECUTION)
                .put("run_id", runId);
        state.putObject("registered").putObject("registration").put("version", Long.toString(version));
        return state;
    }

    private static ObjectNode scores(double accuracy) {
        return JSON.createObjectNode().put("accuracy", accuracy).put("log_loss", 0.3).put("macro_f1", 0.9)
                .put("rows", 40);
    }

    private static ObjectNode gateState(String model, long version, String evaluationSet, double candidate,
                                        Double champion) {
        ObjectNode state = registered(model, "", version);
        state.putObject("gate").put("metric", "accuracy").put("threshold", 0.8).put("margin", 0.01)
                .put("manual_approval", false);
        ObjectNode evaluation = state.putObject("evaluated").putObject("evaluation")
                .put("evaluation_set", evaluationSet);
        evaluation.set("candidate", scores(candidate));
        if (champion != null) {
            evaluation.set("champion", scores(champion).put("version", "1"));
        }
        return state;
    }

    private static String versionTag(String model, long version, String key) {
        return platform.services.registry().getModelVersion(model, Long.toString(version)).tags().get(key);
    }

    @Test
    void gate_candidateBeatsChampion_promotesAndTagsTheVersion() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        platform.addReadyVersion(model);
        long candidate = platform.addReadyVersion(model);

        JsonNode result = run("gate", gateState(model, candidate, "holdout", 0.95, 0.9));

        assertThat(result.path("decision").asText()).isEqualTo("promote");
        assertThat(result.path("reason").asText()).isEqualTo("on the holdout accuracy 0.9500 >= threshold 0.8000;"
                + " against champion v1 (0.9000) the accuracy improves by 0.0500, margin 0.0100");
        assertThat(versionTag(model, candidate, "capstan.gate")).isEqualTo("passed: " + result.path("reason").asText());
    }

    @Test
    void gate_referenceRowsBelowThreshold_rejectsAndSaysWhichRows() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long candidate = platform.addReadyVersion(model);

        JsonNode result = run("gate", gateState(model, candidate, "reference", 0.6, null));

        assertThat(result.path("decision").asText()).isEqualTo("reject");
        assertThat(result.path("reason").asText())
                .isEqualTo("on the reference rows accuracy 0.6000 < threshold 0.8000");
        assertThat(versionTag(model, candidate, "capstan.gate")).isEqualTo("failed: " + result.path("reason").asText());
    }

    @Test
    void awaitApproval_recordsTheRequestThenAnnouncesItOnTheTopic() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long version = platform.addReadyVersion(model);
        ObjectNode state = registered(model, startRun(model), version);
        state.putObject("gate_result").put("reason", "on the holdout accuracy 0.9500 >= threshold 0.8000");
        List<String> announced = new ArrayList<>();
        PipelineTasks announcing = new PipelineTasks(platform.services.deployedWith((subject, message) -> {
            // announced only once the request is there to answer
            assertThat(platform.services.pipelines().approval(model, EXECUTION)).isPresent();
            announced.add(subject);
            announced.add(message);
        }, PipelineServices.MAX_GPUS));
        ObjectNode payload = JSON.createObjectNode().put("task", "await_approval").put("token", "task-token-1");
        payload.set("state", state);

        JsonNode result = announcing.run(payload);

        assertThat(result.path("status").asText()).isEqualTo(ApprovalRequest.PENDING);
        ApprovalRequest request = platform.services.pipelines().approval(model, EXECUTION).orElseThrow();
        assertThat(request.token()).isEqualTo("task-token-1");
        assertThat(request.pending()).isTrue();
        assertThat(announced).containsExactly("Capstan: " + model + " v" + version + " awaits approval", model
                + " version " + version + " passed the gate (on the holdout accuracy 0.9500 >= threshold 0.8000) and"
                + " waits for approval before it is promoted. Approve or reject it with POST /api/2.0/capstan/pipelines/" + model + "/runs/"
                + EXECUTION + "/approval and {\"approved\": true} or {\"approved\": false, \"reason\": \"...\"}. "
                + "Unanswered, the version is rejected when the approval times out. Execution " + EXECUTION + ".");
    }

    @Test
    void awaitApproval_topicUnreachable_failsTheTaskSoTheExecutionDoesNotWaitUnannounced() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long version = platform.addReadyVersion(model);
        ObjectNode state = registered(model, startRun(model), version);
        state.putObject("gate_result").put("reason", "passed");
        PipelineTasks failing = new PipelineTasks(platform.services.deployedWith((subject, message) -> {
            throw new IllegalStateException("SNS unreachable");
        }, PipelineServices.MAX_GPUS));
        ObjectNode payload = JSON.createObjectNode().put("task", "await_approval").put("token", "task-token-2");
        payload.set("state", state);

        assertThatThrownBy(() -> failing.run(payload)).hasMessage("SNS unreachable");
    }

    @Test
    void awaitApproval_embeddedPlatform_announcesNothingAndStillRecordsTheRequest() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long version = platform.addReadyVersion(model);
        ObjectNode state = registered(model, startRun(model), version);
        state.putObject("gate_result").put("reason", "passed");
        ObjectNode payload = JSON.createObjectNode().put("task", "await_approval").put("token", "task-token-3");
        payload.set("state", state);

        tasks.run(payload);

        assertThat(platform.services.approvals()).isSameAs(ApprovalNotifier.NONE);
        assertThat(platform.services.pipelines().approval(model, EXECUTION)).get()
                .extracting(ApprovalRequest::token).isEqualTo("task-token-3");
    }

    @Test
    void promote_firstThenSecondChampion_movesAliasFinishesRunAndKeepsFirstReferenceHoldout() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long first = platform.addReadyVersion(model);
        long second = platform.addReadyVersion(model);
        String holdout = "pipeline/" + model + "/" + EXECUTION + "/holdout/holdout.csv";
        platform.putArtifact(holdout, "mean_radius,label\n17.99,M\n13.54,B\n");
        String runId = startRun(model);
        ObjectNode state = registered(model, runId, first).put("champion_version", "")
                .put("holdout_uri", "s3://" + PipelineTestPlatform.ARTIFACTS + "/" + holdout);
        state.putObject("gate_result").put("reason", "on the holdout accuracy 0.9000 >= threshold 0.8000; no champion"
                + " yet");
        state.putObject("approval").put("decided_by", "arn:aws:iam::123456789012:user/ml-lead").put("reason", "ok");

        JsonNode result = run("promote", state);

        assertThat(result.path("status").asText()).isEqualTo("promoted");
        assertThat(result.path("subject").asText()).isEqualTo("Capstan: " + model + " v1 is the new champion");
        assertThat(result.path("message").asText()).isEqualTo(model + " version 1 was promoted to champion. on the"
                + " holdout accuracy 0.9000 >= threshold 0.8000; no champion yet; approved by"
                + " arn:aws:iam::123456789012:user/ml-lead (ok). Execution " + EXECUTION + ".");
        assertThat(platform.services.registry().getRegisteredModel(model).alias(ModelSelector.CHAMPION))
                .contains(first);
        Run run = platform.services.tracking().getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.tags()).containsEntry("capstan.outcome", "promoted v1");
        String reference = "pipeline/" + model + "/reference-holdout.csv";
        assertThat(platform.artifact(reference)).contains("mean_radius,label\n17.99,M\n13.54,B\n");

        platform.putArtifact(holdout, "mean_radius,label\n1.0,M\n2.0,B\n");
        ObjectNode next = registered(model, startRun(model), second).put("champion_version", "1")
                .put("holdout_uri", "s3://" + PipelineTestPlatform.ARTIFACTS + "/" + holdout);
        next.putObject("gate_result").put("reason", "better");

        assertThat(run("promote", next).path("message").asText()).contains("replacing version 1");
        assertThat(platform.services.registry().getRegisteredModel(model).alias(ModelSelector.CHAMPION))
                .contains(second);
        assertThat(platform.artifact(reference)).contains("mean_radius,label\n17.99,M\n13.54,B\n");
    }

    @Test
    void promote_championMovedSinceValidation_failsAsPromotionConflict() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long meanwhile = platform.addReadyVersion(model);
        long candidate = platform.addReadyVersion(model);
        platform.services.promotions().setAlias(model, ModelSelector.CHAMPION, meanwhile,
                Optional.of(PromotionService.NONE), "ada", "promoted by hand");
        String runId = startRun(model);
        // validation saw no champion
        ObjectNode state = registered(model, runId, candidate).put("champion_version", "");
        state.putObject("gate_result").put("reason", "no champion yet");

        assertThatThrownBy(() -> run("promote", state))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("PromotionConflict");
                    assertThat(f.runId()).isEqualTo(runId);
                });
        assertThat(platform.services.registry().getRegisteredModel(model).alias(ModelSelector.CHAMPION))
                .contains(meanwhile);
    }

    @Test
    void reject_approverSaidNo_recordsTheApproversReason() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        long version = platform.addReadyVersion(model);
        String runId = startRun(model);
        ObjectNode state = registered(model, runId, version);
        state.putObject("gate_result").put("reason", "on the holdout accuracy 0.9000 >= threshold 0.8000");
        // what StepFunctionsEngine.resume sends with SendTaskFailure
        state.putObject("approval_error").put("Error", "ApprovalRejected")
                .put("Cause", "{\"message\":\"holdout too small (arn:aws:iam::123456789012:user/ml-lead)\"}");

        JsonNode result = run("reject", state);

        String reason = "not approved: holdout too small (arn:aws:iam::123456789012:user/ml-lead)";
        assertThat(result.path("status").asText()).isEqualTo("rejected");
        assertThat(result.path("subject").asText()).isEqualTo("Capstan: " + model + " v1 was not promoted");
        assertThat(result.path("message").asText()).isEqualTo(model + " version 1 stays registered but is not"
                + " champion: " + reason + ". Execution " + EXECUTION + ".");
        assertThat(versionTag(model, version, "capstan.rejected")).isEqualTo(reason);
        Run run = platform.services.tracking().getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.tags()).containsEntry("capstan.outcome", "rejected").containsEntry("capstan.rejection", reason);
    }

    @Test
    void recordFailure_lambdaWrappedCause_failsTheRunNamedInTheCause() {
        String model = PipelineTestPlatform.uniqueModel("breast-cancer");
        String runId = startRun(model);
        String message = "s3://capstan-datasets/datasets/m/a.csv row 3, column 'mean_radius': 'seventeen' is not a"
                + " finite number";
        // in AWS, Lambda wraps the task's cause: {"errorMessage": <cause JSON>, "errorType": ...}
        String cause = JSON.createObjectNode().put("errorMessage", new TaskFailure("DatasetInvalid", message, runId)
                .causeJson()).put("errorType", "io.capstan.pipeline.lambda.PipelineTasksLambdaHandler$TaskFailedError")
                .toString();
        ObjectNode state = JSON.createObjectNode().put("model_name", model);
        state.putObject("error").put("Error", "TaskFailedError").put("Cause", cause);

        JsonNode result = run("record_failure", state);

        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("subject").asText()).isEqualTo("Capstan: retraining " + model + " failed");
        assertThat(result.path("message").asText()).isEqualTo("Execution " + EXECUTION + " failed at TaskFailedError: "
                + message + " (run " + runId + ")");
        Run run = platform.services.tracking().getRun(runId);
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.tags()).containsEntry("capstan.failure", "TaskFailedError: " + message)
                .containsEntry("capstan.outcome", "failed");
    }

    @Test
    void recordFailure_longNonAsciiModelName_keepsTheSubjectWithinSnsLimits() {
        String model = "modèle-" + "x".repeat(120);
        ObjectNode state = JSON.createObjectNode().put("model_name", model);
        state.putObject("error").put("Error", "States.Timeout").put("Cause", "");

        JsonNode result = run("record_failure", state);

        String subject = result.path("subject").asText();
        assertThat(subject).hasSize(100).startsWith("Capstan: retraining mod?le-xxx").matches("[\\x20-\\x7E]+");
        assertThat(result.path("message").asText()).isEqualTo("Execution " + EXECUTION + " failed at States.Timeout:"
                + " no cause given");
    }

    static Stream<Arguments> causes() {
        return Stream.of(
                Arguments.of("the task's own cause", "{\"message\":\"no dataset\",\"run_id\":\"r1\"}", "no dataset"),
                Arguments.of("plain text", "Task timed out after 600.00 seconds",
                        "Task timed out after 600.00 seconds"),
                Arguments.of("nothing", "", "no cause given"),
                Arguments.of("Lambda's wrapper of a plain error", "{\"errorMessage\":\"Java heap space\","
                        + "\"errorType\":\"java.lang.OutOfMemoryError\"}", "Java heap space"),
                Arguments.of("JSON that is not ours", "{\"code\":42}", "{\"code\":42}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("causes")
    void causeMessage_eachCauseShape_givesTheMessageForPeople(String shape, String cause, String expected) {
        assertThat(DecisionTasks.causeMessage(JSON.createObjectNode().put("Error", "Failed").put("Cause", cause)))
                .isEqualTo(expected);
    }
}
