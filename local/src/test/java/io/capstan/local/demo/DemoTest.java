package io.capstan.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.LocalPlatform;
import io.capstan.local.drift.LocalDriftWiring;
import io.capstan.local.quality.LocalQualityAlarms;
import io.capstan.pipeline.PipelineExecution;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClient;
import picocli.CommandLine;

/**
 * The whole demo client against an in-process platform (drift checked every 2 s, sketches flushed every second),
 * with the trainer built by the reactor run as a process; then the platform's own state is checked: what the demo
 * printed must be what happened.
 */
class DemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path workDir;

    @BeforeEach
    void shortIntervals() {
        System.setProperty(LocalDriftWiring.SCHEDULE_PROPERTY, "2");
        System.setProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY, "1");
        System.setProperty(LocalQualityAlarms.PROPERTY, "[{\"model\": \"" + Demo.RETRAINED_MODEL
                + "\", \"min_accuracy\": 0.9}]");
    }

    @AfterEach
    void clearIntervals() {
        System.clearProperty(LocalDriftWiring.SCHEDULE_PROPERTY);
        System.clearProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY);
        System.clearProperty(LocalQualityAlarms.PROPERTY);
    }

    @Test
    void call_onAFreshPlatform_runsTheWholeStoryAndLeavesItOnRecord() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0);
             MlflowClient client = new MlflowClient(platform.url().toString())) {

            StringWriter failure = new StringWriter();
            int exit = new CommandLine(new Demo(new PrintStream(output, true, StandardCharsets.UTF_8)))
                    .setErr(new PrintWriter(failure, true)).execute(
                    "--url", platform.url().toString(), "--s3-endpoint", platform.engines().s3Endpoint().toString(),
                    "--data", "../scripts/data/breast_cancer.csv", "--platform-data-dir", dataDir.toString(),
                    "--commit", "0123abc", "--work-dir", workDir.toString());

            String printed = output.toString(StandardCharsets.UTF_8);
            // the failure first: CI logs keep the head and the tail of a long message
            assertThat(exit).as("%s%nthe demo's last lines:%n%s", failure, lastLines(printed, 40)).isZero();
            assertThat(printed).contains("epoch=20/20", "Summary", "commit 0123abc", "state Validate", "state Reject");

            // tracking: two runs with per-epoch history, the dataset digest and the model files
            String experimentId = client.searchExperiments("name = 'breast-cancer'").getItems().get(0).getExperimentId();
            var runs = client.searchRuns(List.of(experimentId), "");
            assertThat(runs).hasSize(2);
            var first = runs.stream().filter(r -> r.getRunName().equals("logistic-regression-seed-42")).findFirst()
                    .orElseThrow();
            assertThat(client.getMetricHistory(first.getRunId(), "validation_accuracy")).hasSize(21)
                    .extracting(Metric::getStep).startsWith(1L, 2L, 3L);
            assertThat(client.getRun(first.getRunId()).getInputs().getDatasetInputsList()).singleElement()
                    .satisfies(i -> assertThat(i.getDataset().getDigest()).hasSize(64));
            assertThat(client.sendGet("artifacts/list?run_id=" + first.getRunId() + "&path=model"))
                    .contains("model/model.onnx", "model/model-card.json", "model/profile.json");

            // registry: champion back on v1 after the rollback, every change audited, no canary left behind
            JsonNode champion = get(platform, "/api/2.0/mlflow/registered-models/alias?name=" + Demo.SERVED_MODEL
                    + "&alias=champion");
            assertThat(champion.at("/model_version/version").asText()).isEqualTo("1");
            assertThat(get(platform, "/api/2.0/capstan/registry/audit?name=" + Demo.SERVED_MODEL).path("events")
                    .findValuesAsText("action")).hasSizeGreaterThanOrEqualTo(5);
            assertThat(get(platform, "/api/2.0/capstan/registry/traffic?name=" + Demo.SERVED_MODEL)
                    .has("traffic_policy")).isFalse();

            // quality: the labelled 50/50 canary, measured per version and compared; no canary left behind
            JsonNode quality = get(platform, "/models/" + Demo.QUALITY_MODEL + "/quality").path("reports");
            assertThat(quality).as(printed).hasSize(1);
            JsonNode measured = quality.get(0);
            long labelled = 0;
            for (JsonNode version : measured.path("versions")) {
                labelled += version.path("labelled").asLong();
            }
            assertThat(labelled)
                    .as("every scored row labelled").isEqualTo(569);
            assertThat(measured.at("/ab_test/verdict").asText()).as(printed).isEqualTo("challenger_better");
            assertThat(printed).contains("A/B: challenger_better");
            // the model's policy promoted the challenger, with the comparison in the audited reason
            assertThat(measured.get("decision").asText()).startsWith("promoted v2 to champion");
            assertThat(get(platform, "/api/2.0/mlflow/registered-models/alias?name=" + Demo.QUALITY_MODEL
                    + "&alias=champion").at("/model_version/version").asText()).isEqualTo("2");
            assertThat(get(platform, "/api/2.0/capstan/registry/audit?name=" + Demo.QUALITY_MODEL).path("events"))
                    .anySatisfy(event -> {
                        assertThat(event.path("actor").asText()).isEqualTo("capstan-quality");
                        assertThat(event.path("reason").asText()).startsWith("quality check " + measured
                                .get("report_id").asText() + ": The challenger is better on accuracy");
                    });
            assertThat(get(platform, "/api/2.0/capstan/registry/traffic?name=" + Demo.QUALITY_MODEL)
                    .has("traffic_policy")).isFalse();
            // the shifted population's labels raised the model's quality alarm
            assertThat(platform.quality().alarms().state(Demo.RETRAINED_MODEL))
                    .contains(LocalQualityAlarms.State.ALARM);

            // pipeline: the upload, the drift-triggered retraining, the rejected degraded upload and the retraining
            // that the labels of a shifted population started
            List<PipelineExecution> executions = platform.pipeline().orElseThrow().executions(Demo.RETRAINED_MODEL);
            assertThat(executions).hasSize(4).allMatch(e -> e.status().equals("SUCCEEDED"));
            assertThat(executions).extracting(PipelineExecution::trigger).containsExactlyInAnyOrder("upload", "drift",
                    "upload", "quality");
            // the hyperparameter search: six trials, child runs of the execution's run, one chosen
            assertThat(platform.pipeline().orElseThrow().executions(Demo.TUNED_MODEL)).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo("SUCCEEDED"));
            String tunedExperiment = client.searchExperiments("name = '" + Demo.TUNED_MODEL + "'").getItems().get(0)
                    .getExperimentId();
            var tunedRuns = client.searchRuns(List.of(tunedExperiment), "");
            assertThat(tunedRuns).hasSize(7);
            String parentId = tunedRuns.stream().filter(r -> r.getRunName().startsWith("retrain-")).findFirst()
                    .orElseThrow().getRunId();
            assertThat(client.searchRuns(List.of(tunedExperiment), "tags.mlflow.parentRunId = '" + parentId + "'"))
                    .hasSize(6);
            assertThat(printed).containsOnlyOnce("<- chosen");
            String retrainedChampion = get(platform, "/api/2.0/mlflow/registered-models/alias?name="
                    + Demo.RETRAINED_MODEL + "&alias=champion").at("/model_version/version").asText();
            assertThat(retrainedChampion).as("the degraded v3 was rejected").isNotEqualTo("3");
            assertThat(printed).contains("from version " + retrainedChampion + " ");

            // drift: the flagged report the demo pointed at is a file on disk, the same as the API serves
            Matcher report = Pattern.compile("HTML report: (file:\\S+)").matcher(printed);
            assertThat(report.find()).as(printed).isTrue();
            Path file = Path.of(URI.create(report.group(1)));
            assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("mean_radius");
            JsonNode flagged = get(platform, "/models/" + Demo.RETRAINED_MODEL + "/drift").path("reports");
            assertThat(flagged.findValuesAsText("html_report_uri")).anyMatch(uri -> file.endsWith(
                    uri.substring(uri.indexOf("/reports/") + 1)));
        }
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().toList();
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static JsonNode get(LocalPlatform platform, String path) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(platform.url() + path))
                .GET().build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
