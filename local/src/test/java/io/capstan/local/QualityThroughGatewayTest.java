package io.capstan.local;

import static io.capstan.local.testutils.MlflowRest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.testutils.LocalModels;
import io.capstan.local.testutils.MlflowRest;
import io.capstan.model.ModelCard;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.storage.BucketDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Model quality on the embedded platform, end to end: two trained versions serve a 50/50 canary through the gateway,
 * each row with the caller's own id (an id column named by {@code X-Capstan-Id-Column}); the true labels are sent as
 * feedback; the quality check finds, per version, the rows that version answered and the accuracy that its answers and
 * the labels give when counted here, and compares the two versions. A model whose labels say its accuracy fell below
 * its policy's threshold is retrained on its newest dataset by the local pipeline, once in a cool-down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "bc-quality";

    private LocalPlatform platform;
    private MlflowRest rest;
    private final HttpClient http = HttpClient.newHttpClient();
    private ModelCard card;
    private List<String> columns;
    private List<String[]> rows;
    private Path strongModel;

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path work) throws Exception {
        System.setProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY, "1");
        try {
            platform = LocalPlatform.start(dataDir, 0);
        } finally {
            System.clearProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY);
        }
        rest = new MlflowRest(platform.url());
        Path strong = LocalModels.train(work.resolve("strong"), Map.of("epochs", "5"));
        strongModel = strong;
        Path weak = LocalModels.train(work.resolve("weak"), Map.of("epochs", "1", "learning_rate", "0.0001"));
        card = ModelCard.fromJson(Files.readAllBytes(strong.resolve(ModelCard.FILE_NAME)));
        List<String> csv = Files.readAllLines(strong.resolve("validation-predictions.csv"));
        columns = List.of(csv.get(0).split(","));
        rows = new ArrayList<>();
        csv.subList(1, csv.size()).forEach(line -> rows.add(line.split(",")));
        ok(rest.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"" + MODEL + "\"}"));
        LocalModels.register(platform, MODEL, strong, List.of("model.onnx", ModelCard.FILE_NAME));
        LocalModels.register(platform, MODEL, weak, List.of("model.onnx", ModelCard.FILE_NAME));
        ok(rest.post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + MODEL + "\", \"version\": \"1\"}"));
        ok(rest.post("/api/2.0/mlflow/registered-models/alias", "{\"name\": \"" + MODEL + "\", \"alias\":"
                + " \"challenger\", \"version\": \"2\"}"));
        ok(rest.post("/api/2.0/capstan/registry/traffic", "{\"name\": \"" + MODEL + "\", \"routes\": [{\"target\":"
                + " \"champion\", \"weight\": 50}, {\"target\": \"challenger\", \"weight\": 50}]}"));
        Thread.sleep(2100); // the predict function reads a model's traffic policy again after 2 s
    }

    @AfterAll
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void canaryTraffic_withItsLabels_givesEachVersionItsAccuracy_andComparesThem() throws Exception {
        int labelColumn = card.features().size();
        Map<String, Integer> servedRows = new HashMap<>();
        Map<String, Integer> servedRight = new HashMap<>();
        ArrayNode labels = JSON.createArrayNode();
        for (int r = 0; r < rows.size(); r++) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode record = body.putArray("dataframe_records").addObject();
            for (String feature : card.features()) {
                record.put(feature, Double.parseDouble(rows.get(r)[columns.indexOf(feature)]));
            }
            record.put("row_id", "row-" + r);
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/models/"
                    + MODEL + "/invocations")).POST(BodyPublishers.ofString(body.toString()))
                    .header("Content-Type", "application/json").header("X-Capstan-Id-Column", "row_id")
                    .header("X-Capstan-Routing-Key", "customer-" + r).build(), BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode prediction = JSON.readTree(answer.body()).at("/predictions/0");
            assertThat(prediction.get("prediction_id").asText()).isEqualTo("row-" + r);
            String version = answer.headers().firstValue("X-Capstan-Model-Version").orElseThrow();
            String truth = rows.get(r)[labelColumn];
            servedRows.merge(version, 1, Integer::sum);
            servedRight.merge(version, prediction.get("label").asText().equals(truth) ? 1 : 0, Integer::sum);
            labels.addObject().put("id", "row-" + r).put("label", truth);
        }
        assertThat(servedRows).as("both versions served").containsOnlyKeys("1", "2");
        JsonNode accepted = JSON.readTree(ok(rest.post("/models/" + MODEL + "/feedback",
                JSON.createObjectNode().set("labels", labels).toString())).body());
        assertThat(accepted.get("accepted").asInt()).isEqualTo(rows.size());
        waitForRecords(MODEL, rows.size());

        JsonNode report = JSON.readTree(ok(rest.post("/models/" + MODEL + "/quality", "{\"window_hours\": 1}"))
                .body()).get("report");

        for (String version : List.of("1", "2")) {
            JsonNode measured = version(report, version);
            assertThat(measured.get("predictions").asInt()).as("v" + version).isEqualTo(servedRows.get(version));
            assertThat(measured.get("labelled").asInt()).as("v" + version).isEqualTo(servedRows.get(version));
            assertThat(measured.at("/classification/accuracy").asDouble()).as("v" + version)
                    .isCloseTo((double) servedRight.get(version) / servedRows.get(version), within(1e-12));
        }
        JsonNode ab = report.get("ab_test");
        assertThat(ab.get("champion_rows").asInt()).isEqualTo(servedRows.get("1"));
        assertThat(ab.get("challenger_rows").asInt()).isEqualTo(servedRows.get("2"));
        assertThat(ab.get("difference").asDouble()).isCloseTo((double) servedRight.get("2") / servedRows.get("2")
                - (double) servedRight.get("1") / servedRows.get("1"), within(1e-12));
        assertThat(ab.get("verdict").asText()).isNotBlank();
        String id = report.get("report_id").asText();
        assertThat(ok(rest.get("/models/" + MODEL + "/quality/" + id + "?format=html")).body()).contains("<svg");
    }

    @Test
    void aModelWhoseAccuracyFellBelowItsPolicy_isRetrainedOnItsNewestDataset_onceInACoolDown() throws Exception {
        String model = "bc-degraded";
        ok(rest.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"" + model + "\"}"));
        LocalModels.register(platform, model, strongModel, List.of("model.onnx", ModelCard.FILE_NAME));
        ok(rest.post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + model + "\", \"version\": \"1\"}"));
        for (String[] tag : new String[][] {{"retrain_below_accuracy", "0.9"}, {"min_labelled", "20"}}) {
            ok(rest.post("/api/2.0/mlflow/registered-models/set-tag", "{\"name\": \"" + model + "\", \"key\":"
                    + " \"capstan.quality." + tag[0] + "\", \"value\": \"" + tag[1] + "\"}"));
        }
        String datasets = platform.engines().bucketName(BucketDefinition.DATASETS);
        platform.engines().s3Client().putObject(b -> b.bucket(datasets).key("datasets/" + model + "/breast_cancer.csv"),
                RequestBody.fromFile(LocalModels.BREAST_CANCER));
        int labelColumn = card.features().size();
        ArrayNode labels = JSON.createArrayNode();
        for (int r = 0; r < 40; r++) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode record = body.putArray("dataframe_records").addObject();
            for (String feature : card.features()) {
                record.put(feature, Double.parseDouble(rows.get(r)[columns.indexOf(feature)]));
            }
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/models/"
                    + model + "/invocations")).POST(BodyPublishers.ofString(body.toString()))
                    .header("Content-Type", "application/json").header("X-Capstan-Prediction-Id", "d-" + r).build(),
                    BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            // labels from another population: the other class for every row
            String truth = rows.get(r)[labelColumn];
            labels.addObject().put("id", "d-" + r).put("label", card.outputLabels().stream()
                    .filter(label -> !label.equals(truth)).findFirst().orElseThrow());
        }
        ok(rest.post("/models/" + model + "/feedback", JSON.createObjectNode().set("labels", labels).toString()));
        waitForRecords(model, 40);

        String decision = JSON.readTree(ok(rest.post("/models/" + model + "/quality", "{}")).body())
                .at("/report/decision").asText();
        String again = JSON.readTree(ok(rest.post("/models/" + model + "/quality", "{}")).body())
                .at("/report/decision").asText();

        assertThat(decision).contains("below 0.9000 over 40 labels: retraining started: execution " + model
                + "-quality-", "on s3://" + datasets + "/datasets/" + model + "/breast_cancer.csv");
        String execution = decision.replaceAll(".*execution (\\S+) on .*", "$1");
        JsonNode runs = JSON.readTree(ok(rest.get("/api/2.0/capstan/pipelines/" + model + "/runs")).body()).path("runs");
        assertThat(runs).anySatisfy(run -> {
            assertThat(run.path("execution").asText()).isEqualTo(execution);
            assertThat(run.path("trigger").asText()).isEqualTo("quality");
        });
        assertThat(again).as("the second check, within the cool-down").contains("cool-down: a retraining started at");
    }

    private static JsonNode version(JsonNode report, String version) {
        for (JsonNode entry : report.get("versions")) {
            if (entry.get("version").asText().equals(version)) {
                return entry;
            }
        }
        throw new AssertionError("no version " + version + " in " + report);
    }

    /** Waits until the predict function's flush timer has written every row's record. */
    private void waitForRecords(String model, int expected) throws Exception {
        String bucket = platform.engines().bucketName(BucketDefinition.CAPTURE);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            long lines = 0;
            for (var object : platform.engines().s3Client().listObjectsV2Paginator(b -> b.bucket(bucket)
                    .prefix(PredictionKeys.predictionsOf(model))).contents()) {
                try (var in = new java.util.zip.GZIPInputStream(platform.engines().s3Client().getObject(b -> b
                        .bucket(bucket).key(object.key())))) {
                    lines += new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
                }
            }
            if (lines >= expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the prediction records of " + expected + " rows did not arrive within 20 s");
    }
}
