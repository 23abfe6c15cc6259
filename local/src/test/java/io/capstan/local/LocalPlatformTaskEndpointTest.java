package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.internal.PlatformEndpoints;
import io.capstan.local.pipeline.TaskEndpoint;
import io.capstan.local.testutils.Polling;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine's task callback on a real platform: served on the platform's own listener with its secret only,
 * never on the public gateway; names that would leave the data directory refused; waits for approvals holding no
 * thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class LocalPlatformTaskEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLISH = "{\"state\": \"NotifyOutcome\", \"resource\": \"arn:aws:states:::sns:publish\","
            + " \"input\": {\"Subject\": \"s\", \"Message\": \"m\"}}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private LocalPlatform platform;
    private TaskEndpoint tasks;
    private Path dataDir;

    @BeforeAll
    void start(@TempDir Path directory) {
        dataDir = directory.resolve("data");
        platform = LocalPlatform.start(dataDir, 0, log::add);
        assertThat(platform.pipeline()).as("pipeline available; log: %s", log).isPresent();
        tasks = platform.taskEndpoint();
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void publicGateway_taskPath_isNotFound() throws Exception {
        URI onGateway = URI.create(platform.url() + "/_local/pipeline/tasks/m/NotifyOutcome?execution=e");

        var plain = http.send(post(onGateway, PUBLISH).build(), BodyHandlers.ofString());
        var withSecret = http.send(post(onGateway, PUBLISH).header(PlatformEndpoints.SECRET_HEADER, tasks.secret())
                .build(), BodyHandlers.ofString());

        assertThat(plain.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(plain.body()).path("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(withSecret.statusCode()).isEqualTo(404);
        assertThat(URI.create(tasks.url()).getPort()).isNotEqualTo(platform.port());
    }

    @Test
    void platformListener_withoutTheSecret_isUnauthenticated() throws Exception {
        URI task = URI.create(tasks.url() + "/m/NotifyOutcome?execution=e");

        var without = http.send(post(task, PUBLISH).build(), BodyHandlers.ofString());
        var wrong = http.send(post(task, PUBLISH).header(PlatformEndpoints.SECRET_HEADER, tasks.secret() + "x")
                .build(), BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(without.body()).path("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void platformListener_withTheSecret_answersTheTask() throws Exception {
        var response = task("m", "NotifyOutcome", "e", PUBLISH);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("MessageId").asText()).isNotBlank();
    }

    @Test
    void trainingTask_jobNameLeavingTheDataDirectory_isRefused() throws Exception {
        String sageMaker = "{\"resource\": \"arn:aws:states:::sagemaker:createTrainingJob.sync\", \"input\": {"
                + "\"TrainingJobName\": \"../../escaped\", \"InputDataConfig\": [{\"DataSource\": {\"S3DataSource\": "
                + "{\"S3Uri\": \"s3://capstan-datasets/datasets/m/\"}}}], \"OutputDataConfig\": {\"S3OutputPath\": "
                + "\"s3://capstan-artifacts/training/\"}}}";
        String batch = "{\"resource\": \"arn:aws:states:::batch:submitJob.sync\", \"input\": {\"JobName\": "
                + "\"../batch-escaped\", \"ContainerOverrides\": {\"Environment\": [{\"Name\": \"SM_HPS\", \"Value\": "
                + "\"{\\\"train_uri\\\": \\\"s3://capstan-datasets/datasets/m/\\\", \\\"model_output_uri\\\": "
                + "\\\"s3://capstan-artifacts/m/\\\"}\"}]}}}";

        var refusedSageMaker = task("m", "TrainOnSageMaker", "e", sageMaker);
        var refusedBatch = task("m", "TrainOnBatch", "e", batch);

        assertThat(refusedSageMaker.statusCode()).isEqualTo(400);
        JsonNode failure = JSON.readTree(refusedSageMaker.body());
        assertThat(failure.path("error").asText()).isEqualTo("States.TaskFailed");
        assertThat(failure.path("cause").asText()).contains("TrainingJobName", "not a valid job name");
        assertThat(refusedBatch.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refusedBatch.body()).path("cause").asText()).contains("JobName");
        assertThat(dataDir.resolve("training/../../escaped").normalize()).doesNotExist();
        assertThat(dataDir.resolve("training/../batch-escaped").normalize()).doesNotExist();
    }

    @Test
    void waitForTaskToken_floodOfWaits_blocksNeitherListener() throws Exception {
        URI health = URI.create(platform.url() + "/health");
        List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String execution = "flood-" + i;
            String body = "{\"resource\": \"arn:aws:states:::lambda:invoke.waitForTaskToken\", \"input\": {\"Payload\": "
                    + "{\"task\": \"await_approval\", \"token\": \"t\", \"state\": {\"model_name\": \"flood\", "
                    + "\"execution\": \"" + execution + "\", \"registered\": {\"registration\": {\"version\": 1}}}}}}";
            waits.add(http.sendAsync(post(URI.create(tasks.url() + "/flood/AwaitApproval?execution=" + execution),
                    body).header(PlatformEndpoints.SECRET_HEADER, tasks.secret()).build(), BodyHandlers.ofString()));
        }
        Polling.await(Duration.ofSeconds(60), () -> log.stream().filter(l -> l.contains("flood-")
                && l.contains("waiting for approval")).count() >= 32 ? Optional.of(true) : Optional.empty(),
                () -> "the 32 waits did not start; log: " + log);

        long started = System.nanoTime();
        var healthAnswer = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).GET().build(),
                BodyHandlers.ofString());
        long healthMillis = (System.nanoTime() - started) / 1_000_000;
        var publish = task("flood", "NotifyOutcome", "flood-0", PUBLISH);

        assertThat(healthAnswer.statusCode()).isEqualTo(200);
        assertThat(healthMillis).isLessThan(1000);
        assertThat(publish.statusCode()).isEqualTo(200);
        assertThat(waits).noneMatch(CompletableFuture::isDone);
    }

    private HttpResponse<String> task(String model, String state, String execution, String body) throws Exception {
        return http.send(post(URI.create(tasks.url() + "/" + model + "/" + state + "?execution=" + execution), body)
                .header(PlatformEndpoints.SECRET_HEADER, tasks.secret()).timeout(Duration.ofSeconds(30)).build(),
                BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body));
    }
}
