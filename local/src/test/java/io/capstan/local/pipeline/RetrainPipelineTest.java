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
