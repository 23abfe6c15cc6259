package io.capstan.local.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.monitoring.DriftCheckOutcome;
import io.capstan.local.LocalPlatform;
import io.capstan.local.pipeline.LocalPipelineWiring;
import io.capstan.local.testutils.CapturedSketches;
import io.capstan.local.testutils.Polling;
import io.capstan.monitoring.DriftSummary;
import io.capstan.pipeline.PipelineExecution;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
 * Drift end to end on the embedded platform: a dataset upload trains a champion (with its reference profile), the
 * predict function captures the traffic it scores, the scheduled check merges the captured sketches, flags shifted
 * traffic, writes a report that opens as a file, and starts retraining through the local state machine, once per
 * cool-down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftOnLocalPlatformTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "drifting";
    private static final int LARGE_ROWS = 20_000;

    private LocalPlatform platform;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private List<String> header;
    private List<double[]> rows;
    private byte[] large;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        System.setProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY, "1");
        System.setProperty(LocalPipelineWiring.RETRY_INTERVAL_PROPERTY, "20");
        readData(Path.of("../scripts/data/breast_cancer.csv"));
        large = shiftedCsv(LARGE_ROWS, 1.0);
        // the large dataset is checked on the profile state machine in 20 chunks
        System.setProperty(LocalDriftWiring.IN_PROCESS_UP_TO_BYTES_PROPERTY, "500000");
        System.setProperty(LocalDriftWiring.CHUNK_BYTES_PROPERTY, Long.toString(large.length / 20 + 1));
        platform = LocalPlatform.start(dataDir, 0, log::add);
        assertThat(platform.pipeline()).as("pipeline available; log: %s", tail()).isPresent();
        platform.engines().s3Client().putObject(b -> b.bucket("capstan-datasets").key("datasets/" + MODEL
                + "/2026-11-22.csv"), RequestBody.fromBytes(Files.readAllBytes(Path.of(
                "../scripts/data/breast_cancer.csv"))));
        PipelineExecution first = awaitExecutions(1).get(0);
        assertThat(first.status()).as("first training; log: %s", tail()).isEqualTo("SUCCEEDED");
    }

    @AfterAll
    void stop() {
        System.clearProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY);
        System.clearProperty(LocalPipelineWiring.RETRY_INTERVAL_PROPERTY);
        System.clearProperty(LocalDriftWiring.IN_PROCESS_UP_TO_BYTES_PROPERTY);
        System.clearProperty(LocalDriftWiring.CHUNK_BYTES_PROPERTY);
        platform.close();
    }

    @Test
    @Order(1)
    void unshiftedTraffic_checkedAndNotFlagged() throws Exception {
        score(rows.subList(0, 400), 0.0);
        awaitCapturedRows(400);

        DriftSummary summary = onlyChecked(platform.drift().runSchedule());

        assertThat(summary.datasetDrift()).as(summary.toString()).isFalse();
        assertThat(summary.mode()).isEqualTo("sketch");
        assertThat(summary.currentRows()).isEqualTo(400);
        assertThat(summary.decision()).isEqualTo("no dataset drift");
    }

    @Test
    @Order(2)
    void shiftedTraffic_flaggedReportOnDiskAndRetrainingStartedOnce() throws Exception {
        post("/api/2.0/mlflow/registered-models/set-tag", "{\"name\": \"" + MODEL + "\", \"key\":"
                + " \"capstan.drift.retrain\", \"value\": \"true\"}");
        score(repeat(rows, 2000), 1.0);
        awaitCapturedRows(2400);

        DriftSummary flagged = onlyChecked(platform.drift().runSchedule());

        assertThat(flagged.datasetDrift()).as(flagged.toString()).isTrue();
        assertThat(flagged.trigger()).isEqualTo("schedule");
        Path report = platform.drift().reportFile(flagged.htmlUri());
        assertThat(report).isRegularFile();
        assertThat(Files.readString(report)).startsWith("<!DOCTYPE html>").contains("mean_radius");
        assertThat(flagged.decision()).startsWith("retraining started: execution ");
        String execution = flagged.decision().substring("retraining started: execution ".length()).split(" ")[0];

        PipelineExecution retraining = awaitExecution(execution);
        assertThat(retraining.trigger()).isEqualTo("drift");
        assertThat(retraining.status()).as("drift-triggered run; log: %s", tail()).isEqualTo("SUCCEEDED");

        // the same traffic checked again (the retrained champion has seen none yet): inside the cool-down
        JsonNode again = post("/models/" + MODEL + "/drift", "{\"version\": 1}").path("summary");
        assertThat(again.path("dataset_drift").asBoolean()).isTrue();
        assertThat(again.path("decision").asText()).contains("cool-down");
        assertThat(platform.pipeline().orElseThrow().executions(MODEL)).hasSize(2);

        JsonNode listed = get("/models/" + MODEL + "/drift");
        assertThat(listed.path("reports").findValuesAsText("report_id"))
                .contains(flagged.reportId(), again.path("report_id").asText());
        HttpResponse<String> html = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/models/" + MODEL
                + "/drift/" + flagged.reportId() + "?format=html")).GET().build(), BodyHandlers.ofString());
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).isEqualTo(Files.readString(report));
    }

    @Test
    @Order(3)
    void largeDataset_checkedOnTheProfileStateMachineInChunksAndRecorded() throws Exception {
        platform.engines().s3Client().putObject(b -> b.bucket("capstan-datasets").key("big/shifted.csv"),
                RequestBody.fromBytes(large));

        JsonNode started = post("/models/" + MODEL + "/drift", "{\"version\": 1, \"dataset_uri\": "
                + "\"s3://capstan-datasets/big/shifted.csv\"}").path("summary");
        String reportId = started.path("report_id").asText();
        JsonNode finished = awaitEnd(reportId);

        assertThat(started.path("status").asText()).isEqualTo("RUNNING");
        assertThat(started.path("mode").asText()).isEqualTo("distributed");
        // 20 chunks of the dataset, one of the version's training data (its reference)
        assertThat(started.path("chunks").asInt()).isEqualTo(21);
        assertThat(finished.at("/summary/mode").asText()).as(finished.toString()).isEqualTo("distributed");
        assertThat(finished.at("/summary/current_rows").asLong()).isEqualTo(LARGE_ROWS);
        assertThat(finished.at("/summary/reference_rows").asLong()).isEqualTo(rows.size());
        assertThat(finished.at("/summary/dataset_drift").asBoolean()).isTrue();
        assertThat(finished.at("/report/mode").asText()).isEqualTo("sketch");
        assertThat(log).anyMatch(line -> line.contains("[drift] " + reportId) && line.contains("chunk profiled (21 so"
                + " far)"));
    }

    @Test
    @Order(4)
    void largeDatasetWithAColumnMissing_failsWithTheReasonOnItsReport() throws Exception {
        String text = new String(large, StandardCharsets.UTF_8);
        platform.engines().s3Client().putObject(b -> b.bucket("capstan-datasets").key("big/renamed.csv"),
                RequestBody.fromString(text.replaceFirst("mean_radius", "radius_mean")));

        String reportId = post("/models/" + MODEL + "/drift", "{\"version\": 1, \"dataset_uri\": "
                + "\"s3://capstan-datasets/big/renamed.csv\"}").at("/summary/report_id").asText();
        JsonNode failed = awaitEnd(reportId);

        assertThat(failed.at("/summary/status").asText()).isEqualTo("FAILED");
        assertThat(failed.at("/summary/cause").asText()).contains("Column 'mean_radius' is not in"
                + " s3://capstan-datasets/big/renamed.csv");
    }

    /** {@code GET /models/{name}/drift/{report}} once the distributed check no longer runs. */
    private JsonNode awaitEnd(String reportId) throws Exception {
        return Polling.await(Duration.ofSeconds(120), () -> Optional.of(get("/models/" + MODEL + "/drift/" + reportId))
                .filter(r -> !r.at("/summary/status").asText().equals("RUNNING")),
                () -> "check " + reportId + " did not end; log: " + tail());
    }

    /** Each feature's (population) standard deviation over the data set. */
    private double[] featureStd() {
        double[] std = new double[header.size()];
        for (int j = 0; j < header.size(); j++) {
            int column = j;
            double mean = rows.stream().mapToDouble(r -> r[column]).average().orElse(0);
            std[j] = Math.sqrt(rows.stream().mapToDouble(r -> (r[column] - mean) * (r[column] - mean)).sum()
                    / rows.size());
        }
        return std;
    }

    /** {@code count} rows of the data set in turn, every feature shifted by {@code shiftStd} of its deviation. */
    private byte[] shiftedCsv(int count, double shiftStd) {
        StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
        double[] std = featureStd();
        for (int i = 0; i < count; i++) {
            double[] row = rows.get(i % rows.size());
            for (int j = 0; j < row.length; j++) {
                out.append(j == 0 ? "" : ",").append(row[j] + shiftStd * std[j]);
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private DriftSummary onlyChecked(List<DriftCheckOutcome> outcomes) {
        assertThat(outcomes).as("log: %s", tail()).hasSize(1);
        assertThat(outcomes.get(0)).as(outcomes.get(0).toString()).isInstanceOf(DriftCheckOutcome.Checked.class);
        return ((DriftCheckOutcome.Checked) outcomes.get(0)).summary();
    }

    /** Scores the rows in batches, every feature shifted by {@code shiftStd} of its standard deviation. */
    private void score(List<double[]> batchRows, double shiftStd) throws Exception {
        double[] std = featureStd();
        for (int from = 0; from < batchRows.size(); from += 500) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode split = body.putObject("dataframe_split");
            header.forEach(split.putArray("columns")::add);
            ArrayNode data = split.putArray("data");
            for (double[] row : batchRows.subList(from, Math.min(from + 500, batchRows.size()))) {
                ArrayNode out = data.addArray();
                for (int j = 0; j < row.length; j++) {
                    out.add(row[j] + shiftStd * std[j]);
                }
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/models/"
                    + MODEL + "/invocations")).header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(body.toString())).build(), BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    /** Waits until the flushed sketches of the champion hold {@code rows} rows. */
    private void awaitCapturedRows(long expected) throws Exception {
        Polling.await(Duration.ofSeconds(30), () -> Optional.of(capturedRows()).filter(rows -> rows >= expected),
                () -> "captured " + capturedRows() + " rows, expected " + expected + "; log: " + tail());
    }

    private long capturedRows() {
        long captured = 0;
        for (var object : CapturedSketches.list(platform.engines().s3Client(), "capstan-capture",
                "capture/" + MODEL + "/1/")) {
            byte[] bytes = platform.engines().s3Client().getObjectAsBytes(b -> b.bucket("capstan-capture")
                    .key(object.key())).asByteArray();
            captured += io.capstan.profile.StreamingProfile.fromBytes(bytes).rowCount();
        }
        return captured;
    }

    private List<PipelineExecution> awaitExecutions(int count) throws Exception {
        return Polling.await(() -> Optional.of(platform.pipeline().orElseThrow().executions(MODEL))
                .filter(all -> all.size() >= count && all.stream().noneMatch(PipelineExecution::running)),
                () -> "no " + count + " finished executions; log: " + tail());
    }

    private PipelineExecution awaitExecution(String name) throws Exception {
        return Polling.await(() -> platform.pipeline().orElseThrow().execution(MODEL, name).filter(e -> !e.running()),
                () -> "execution " + name + " did not finish; log: " + tail());
    }

    private static List<double[]> repeat(List<double[]> source, int count) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(source.get(i % source.size()));
        }
        return out;
    }

    private void readData(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> all = Arrays.asList(lines.get(0).split(","));
        header = all.subList(0, all.size() - 1);
        rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] row = new double[header.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = Double.parseDouble(cells[j]);
            }
            rows.add(row);
        }
    }

    private List<String> tail() {
        return log.subList(Math.max(0, log.size() - 30), log.size());
    }

    private JsonNode get(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path)).GET().build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
