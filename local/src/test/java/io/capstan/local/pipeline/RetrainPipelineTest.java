package io.capstan.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.LocalPlatform;
import io.capstan.local.testutils.Polling;
import io.capstan.pipeline.PipelineExecution;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The retraining state machine ({@code step-functions/retrain.asl.json}) under the local interpreter on the embedded
 * platform, with the real trainer, registry and ONNX Runtime: uploads start it, bad data stops it at validation, the
 * gate rejects a worse model, a training failure is caught and recorded, an approval resumes it, a throttled
 * training call is retried.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "breast-cancer";

    private LocalPlatform platform;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private byte[] data;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        System.setProperty(LocalPipelineWiring.RETRY_INTERVAL_PROPERTY, "20");
        platform = LocalPlatform.start(dataDir, 0, log::add);
        data = Files.readAllBytes(Path.of("../scripts/data/breast_cancer.csv"));
        assertThat(platform.pipeline()).as("pipeline available; log: %s", tail()).isPresent();
    }

    @AfterAll
    void stop() {
        System.clearProperty(LocalPipelineWiring.RETRY_INTERVAL_PROPERTY);
        platform.close();
    }

    @Test
    @Order(1)
    void upload_newDataset_trainsRegistersAndPromotesAChampion() throws Exception {
        upload("datasets/" + MODEL + "/2026-11-22.csv", data);

        PipelineExecution execution = awaitOne(1);
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());
        JsonNode champion = get("/api/2.0/mlflow/registered-models/alias?name=" + MODEL + "&alias=champion");

        assertThat(execution.status()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.cause()).contains("promoted to champion");
        assertThat(states(run)).containsSubsequence("Validate", "ChooseTrainingPlatform", "TrainOnSageMaker",
                "Evaluate", "Register", "Gate", "GateDecision", "Promote", "NotifyOutcome", "Done");
        assertThat(run.get("history").findValuesAsText("type")).contains("Notification");
        assertThat(champion.at("/model_version/version").asText()).isEqualTo("1");
        assertThat(champion.at("/model_version/status").asText()).isEqualTo("READY");
        assertThat(log).anyMatch(line -> line.startsWith("[train] epoch=20/20"));
    }

    @Test
    @Order(2)
    void upload_sameObjectAgain_startsNothing() throws Exception {
        upload("datasets/" + MODEL + "/2026-11-22.csv", data);
        platform.pipeline().orElseThrow().awaitIdle(3000);
        Thread.sleep(2 * LocalPipelineWiring.WATCH_INTERVAL_MILLIS);

        assertThat(platform.pipeline().orElseThrow().executions(MODEL)).hasSize(1);
    }

    @Test
    @Order(3)
    void upload_corruptDataset_stopsAtValidationNamingTheProblemAndRegistersNothing() throws Exception {
        String corrupt = new String(data, StandardCharsets.UTF_8).replaceFirst("\n17\\.99,", "\nseventeen,");
        upload("datasets/" + MODEL + "/corrupt.csv", corrupt.getBytes(StandardCharsets.UTF_8));

        PipelineExecution execution = awaitOne(2);

        assertThat(execution.status()).isEqualTo("FAILED");
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());
        assertThat(states(run)).containsSubsequence("Validate", "RecordFailure", "NotifyFailure", "PipelineFailed")
                .doesNotContain("TrainOnSageMaker");
        assertThat(run.toString()).contains("row 1, column 'mean_radius': 'seventeen' is not a finite number");
        assertThat(versions()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void upload_degradedCopy_isRejectedByTheGateWithTheReason() throws Exception {
        upload("datasets/" + MODEL + "/degraded.csv", degraded());

        PipelineExecution execution = awaitOne(3);
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());
        JsonNode version2 = get("/api/2.0/mlflow/model-versions/get?name=" + MODEL + "&version=2");

        assertThat(execution.status()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(states(run)).containsSubsequence("Gate", "GateDecision", "Reject", "NotifyOutcome")
                .doesNotContain("Promote");
        assertThat(execution.cause()).contains("not champion", "against champion v1");
        assertThat(version2.toString()).contains("capstan.rejected");
        assertThat(get("/api/2.0/mlflow/registered-models/alias?name=" + MODEL + "&alias=champion")
                .at("/model_version/version").asText()).isEqualTo("1");
    }

    @Test
    @Order(5)
    void start_trainingFails_isCaughtRecordedOnTheRunAndNotified() throws Exception {
        JsonNode started = post("/api/2.0/capstan/pipelines/" + MODEL + "/runs", "{\"dataset_uri\": "
                + "\"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", \"hyperparameters\": {\"epochs\": \"-3\"}}");
        PipelineExecution execution = await(started.at("/run/execution").asText());
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());

        assertThat(execution.status()).isEqualTo("FAILED");
        assertThat(states(run)).containsSubsequence("TrainOnSageMaker", "RecordFailure", "NotifyFailure",
                "PipelineFailed");
        assertThat(run.toString()).contains("epochs");
        JsonNode runs = post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": "
                + "\"tags.`capstan.pipeline.execution` = '" + execution.name() + "'\"}");
        assertThat(runs.at("/runs/0/info/status").asText()).isEqualTo("FAILED");
        assertThat(runs.at("/runs/0/data/tags").toString()).contains("capstan.failure");
    }

    @Test
    @Order(6)
    void start_withManualApproval_waitsThenPromotesWhenApproved() throws Exception {
        JsonNode started = post("/api/2.0/capstan/pipelines/" + MODEL + "/runs", "{\"dataset_uri\": "
                + "\"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", \"gate\": {\"manual_approval\": true}}");
        String name = started.at("/run/execution").asText();
        JsonNode waiting = awaitApprovalRequest(name);

        JsonNode decided = post("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + name + "/approval",
                "{\"approved\": true, \"reason\": \"checked the holdout report\"}");
        PipelineExecution execution = await(name);

        assertThat(waiting.at("/approval/status").asText()).isEqualTo("PENDING");
        assertThat(decided.at("/approval/status").asText()).isEqualTo("APPROVED");
        assertThat(execution.status()).isEqualTo("SUCCEEDED");
        assertThat(states(get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + name)))
                .containsSubsequence("AwaitApproval", "Promote");
    }

    @Test
    @Order(7)
    void start_throttledTrainingCall_isRetriedAndSucceeds() throws Exception {
        platform.pipelineTasks().orElseThrow().injectFaults(TaskFaults.failing("TrainOnSageMaker",
                "ThrottlingException", "Rate exceeded", 2));

        JsonNode started = post("/api/2.0/capstan/pipelines/" + MODEL + "/runs", "{\"dataset_uri\": "
                + "\"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\"}");
        PipelineExecution execution = await(started.at("/run/execution").asText());
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());

        assertThat(execution.status()).isEqualTo("SUCCEEDED");
        assertThat(run.get("history").findValuesAsText("type")).filteredOn("StateRetried"::equals).hasSize(2);
    }

    @Test
    @Order(8)
    void start_randomSearchWithASeed_runsSixChildRunsAndPicksTheSameBestTrialTwice() throws Exception {
        String request = "{\"dataset_uri\": \"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", "
                + "\"hyperparameters\": {\"epochs\": 5}, \"tuning\": {\"strategy\": \"random\", \"max_trials\": 6, "
                + "\"seed\": 11, \"objective\": \"log_loss\", \"space\": {\"learning_rate\": \"loguniform(0.001, 1)\", "
                + "\"minibatch_size\": [1, 8, 32]}}}";

        JsonNode first = search(request);
        JsonNode second = search(request);

        for (JsonNode search : List.of(first, second)) {
            JsonNode trials = search.get("trials");
            assertThat(trials.size()).as(search.toString()).isEqualTo(6);
            List<Double> losses = new ArrayList<>();
            trials.forEach(t -> {
                assertThat(t.at("/info/status").asText()).isEqualTo("FINISHED");
                assertThat(metric(t, "validation_log_loss")).isPresent();
                losses.add(metric(t, "validation_log_loss").orElseThrow());
            });
            JsonNode best = trialNamed(trials, tag(search.get("parent"), "capstan.tuning.best_trial"));
            // the winner has the lowest validation log loss of the six, and its hyperparameters are on the parent
            assertThat(metric(best, "validation_log_loss").orElseThrow()).isEqualTo(Collections.min(losses));
            assertThat(param(search.get("parent"), "tuning.best.learning_rate"))
                    .isEqualTo(param(best, "learning_rate"));
            assertThat(tag(search.get("parent"), "capstan.tuning.trials")).isEqualTo("6 run, 0 failed");
            assertThat(search.get("states").toString()).contains("PlanTrials", "RunTrials", "PrepareTrial",
                    "TrainTrialOnSageMaker", "ScoreTrial", "SelectTrials", "UseBestTrial", "Evaluate", "Register");
        }
        assertThat(tag(second.get("parent"), "capstan.tuning.best_trial"))
                .isEqualTo(tag(first.get("parent"), "capstan.tuning.best_trial"));
        assertThat(param(second.get("parent"), "tuning.best.learning_rate"))
                .isEqualTo(param(first.get("parent"), "tuning.best.learning_rate"));
        assertThat(param(second.get("parent"), "tuning.best.minibatch_size"))
                .isEqualTo(param(first.get("parent"), "tuning.best.minibatch_size"));
    }

    @Test
    @Order(9)
    void start_gridWithATrialThatCannotTrain_recordsItsFailureAndStillFinishes() throws Exception {
        JsonNode search = search("{\"dataset_uri\": \"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", "
                + "\"hyperparameters\": {\"epochs\": 3}, \"tuning\": {\"strategy\": \"grid\", \"max_trials\": 2, "
                + "\"space\": {\"learning_rate\": [0.1, -1]}}}");

        JsonNode failed = trialNamed(search.get("trials"), "trial-2");
        assertThat(search.get("execution").path("status").asText()).isIn("SUCCEEDED");
        assertThat(failed.at("/info/status").asText()).isEqualTo("FAILED");
        assertThat(tag(failed, "capstan.failure")).contains("learning_rate");
        assertThat(tag(search.get("parent"), "capstan.tuning.best_trial")).isEqualTo("trial-1");
        assertThat(tag(search.get("parent"), "capstan.tuning.trials")).isEqualTo("2 run, 1 failed");
    }

    @Test
    @Order(10)
    void start_everyTrialFails_failsTheExecutionWithTuningFailed() throws Exception {
        JsonNode started = post("/api/2.0/capstan/pipelines/" + MODEL + "/runs", "{\"dataset_uri\": "
                + "\"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", \"tuning\": {\"strategy\": \"grid\", "
                + "\"max_trials\": 2, \"space\": {\"learning_rate\": [-1, -2]}}}");
        PipelineExecution execution = await(started.at("/run/execution").asText());
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());

        assertThat(execution.status()).isEqualTo("FAILED");
        assertThat(states(run)).containsSubsequence("SelectTrials", "RecordFailure", "PipelineFailed");
        assertThat(run.toString()).contains("TuningFailed", "All 2 trials of the search failed");
    }

    @Test
    @Order(11)
    void start_halving_trainsTheBetterHalfAgainWithMoreEpochs() throws Exception {
        JsonNode search = search("{\"dataset_uri\": \"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", "
                + "\"tuning\": {\"strategy\": \"halving\", \"max_trials\": 2, \"halving_eta\": 2, "
                + "\"halving_min_epochs\": 1, \"halving_max_epochs\": 4, \"space\": {\"learning_rate\": [0.01, 0.5]}}}");

        List<String> names = new ArrayList<>();
        search.get("trials").forEach(t -> names.add(tag(t, "mlflow.runName")));
        List<JsonNode> later = new ArrayList<>();
        search.get("trials").forEach(t -> {
            if (!tag(t, "capstan.tuning.round").equals("0")) {
                later.add(t);
            }
        });
        assertThat(later).as(search.get("trials").toString()).hasSize(1);
        JsonNode finalRound = later.get(0);
        assertThat(names).containsExactlyInAnyOrder("trial-1", "trial-2", tag(finalRound, "mlflow.runName"));
        assertThat(param(finalRound, "epochs")).isEqualTo("4");
        assertThat(tag(search.get("parent"), "capstan.tuning.best_trial")).isEqualTo(tag(finalRound, "mlflow.runName"));
        assertThat(states(search.get("run"))).filteredOn("RunTrials"::equals).hasSize(2);
    }

    @Test
    @Order(12)
    void start_sageMakerTuningJob_recordsItsTrainingJobsAsChildRunsAndEvaluatesTheOneItChose() throws Exception {
        JsonNode search = search("{\"dataset_uri\": \"s3://capstan-datasets/datasets/" + MODEL + "/2026-11-22.csv\", "
                + "\"hyperparameters\": {\"epochs\": 4}, \"tuning\": {\"engine\": \"sagemaker\", \"strategy\": "
                + "\"random\", \"max_trials\": 4, \"seed\": 5, \"objective\": \"log_loss\", \"space\": "
                + "{\"learning_rate\": \"loguniform(0.001, 1)\", \"minibatch_size\": \"int(1, 16)\"}}}");

        JsonNode trials = search.get("trials");
        assertThat(search.get("execution").path("status").asText()).as(search.get("run").toString())
                .isEqualTo("SUCCEEDED");
        assertThat(search.get("states").toString()).contains("TuneOnSageMaker", "RecordTuningJob", "Evaluate")
                .doesNotContain("RunTrials");
        assertThat(trials.size()).isEqualTo(4);
        List<Double> losses = new ArrayList<>();
        trials.forEach(t -> {
            assertThat(t.at("/info/status").asText()).isEqualTo("FINISHED");
            assertThat(tag(t, "capstan.tuning.training_job")).matches("capstan-[0-9a-f]{24}-00[1-4]");
            assertThat(param(t, "epochs")).isEqualTo("4");
            losses.add(metric(t, "validation_log_loss").orElseThrow());
        });
        JsonNode best = trialNamed(trials, tag(search.get("parent"), "capstan.tuning.best_trial"));
        assertThat(metric(best, "validation_log_loss").orElseThrow()).isEqualTo(Collections.min(losses));
        assertThat(param(search.get("parent"), "tuning.best.minibatch_size")).isEqualTo(param(best, "minibatch_size"));
    }

    /** Runs a search to its end: the execution, its states, its run and the trials' runs (children of that run). */
    private JsonNode search(String request) throws Exception {
        JsonNode started = post("/api/2.0/capstan/pipelines/" + MODEL + "/runs", request);
        PipelineExecution execution = await(started.at("/run/execution").asText());
        JsonNode run = get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + execution.name());
        JsonNode parent = post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": "
                + "\"tags.`capstan.pipeline.execution` = '" + execution.name() + "'\"}").at("/runs/0");
        JsonNode trials = post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": "
                + "\"tags.mlflow.parentRunId = '" + parent.at("/info/run_id").asText() + "'\"}").path("runs");
        var out = JSON.createObjectNode();
        out.putObject("execution").put("status", execution.status());
        out.set("run", run);
        out.set("states", JSON.valueToTree(states(run)));
        out.set("parent", parent);
        out.set("trials", trials);
        return out;
    }

    private static JsonNode trialNamed(JsonNode trials, String name) {
        for (JsonNode trial : trials) {
            if (tag(trial, "mlflow.runName").equals(name)) {
                return trial;
            }
        }
        throw new AssertionError("no trial " + name + " in " + trials);
    }

    private static String tag(JsonNode run, String key) {
        return entry(run.at("/data/tags"), key);
    }

    private static String param(JsonNode run, String key) {
        return entry(run.at("/data/params"), key);
    }

    private static Optional<Double> metric(JsonNode run, String key) {
        for (JsonNode m : run.at("/data/metrics")) {
            if (m.path("key").asText().equals(key)) {
                return Optional.of(m.path("value").asDouble());
            }
        }
        return Optional.empty();
    }

    private static String entry(JsonNode entries, String key) {
        for (JsonNode e : entries) {
            if (e.path("key").asText().equals(key)) {
                return e.path("value").asText();
            }
        }
        return "";
    }

    private List<String> tail() {
        return log.subList(Math.max(0, log.size() - 30), log.size());
    }

    private byte[] degraded() {
        String[] lines = new String(data, StandardCharsets.UTF_8).strip().split("\n");
        List<String> labels = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            labels.add(lines[i].substring(lines[i].lastIndexOf(',') + 1));
        }
        // shuffle the labels of every row (seed 7): the features no longer predict them
        Collections.shuffle(labels, new Random(7));
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            out.append(lines[i], 0, lines[i].lastIndexOf(',') + 1).append(labels.get(i - 1)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void upload(String key, byte[] bytes) {
        platform.engines().s3Client().putObject(b -> b.bucket("capstan-datasets").key(key), RequestBody.fromBytes(bytes));
    }

    private PipelineExecution awaitOne(int count) throws Exception {
        return Polling.await(() -> Optional.of(platform.pipeline().orElseThrow().executions(MODEL))
                .filter(all -> all.size() >= count && !all.get(0).running()).map(all -> all.get(0)),
                () -> "no finished execution #" + count + "; log: " + tail());
    }

    private PipelineExecution await(String name) throws Exception {
        return Polling.await(() -> platform.pipeline().orElseThrow().execution(MODEL, name).filter(e -> !e.running()),
                () -> "execution " + name + " did not finish; log: " + tail());
    }

    private JsonNode awaitApprovalRequest(String name) throws Exception {
        return Polling.await(() -> Optional.of(get("/api/2.0/capstan/pipelines/" + MODEL + "/runs/" + name))
                .filter(run -> run.has("approval")), () -> "execution " + name + " never asked for approval; log: "
                + tail());
    }

    private long versions() throws Exception {
        return get("/api/2.0/mlflow/model-versions/search?filter=" + java.net.URLEncoder.encode("name = '" + MODEL + "'",
                StandardCharsets.UTF_8)).path("model_versions").size();
    }

    private static List<String> states(JsonNode run) {
        List<String> states = new ArrayList<>();
        run.get("history").forEach(e -> {
            if (e.path("type").asText().equals("StateEntered")) {
                states.add(e.path("state").asText());
            }
        });
        return states;
    }

    private JsonNode get(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path)).GET().build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path))
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
