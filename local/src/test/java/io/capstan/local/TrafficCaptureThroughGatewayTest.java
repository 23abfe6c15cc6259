package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.monitoring.CaptureWindow;
import io.capstan.local.testutils.CapturedSketches;
import io.capstan.local.testutils.LocalModels;
import io.capstan.model.ModelCard;
import io.capstan.monitoring.CaptureKeys;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.StreamingProfile;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Traffic capture on the embedded platform: a model the trainer produced (with its reference profile) is registered and
 * promoted, requests are scored through the gateway over both protocols, and the predict function's sketches reach
 * the capture bucket under {@code capture/<model>/<version>/} on the flush timer, holding exactly the rows sent, in the
 * reference profile's columns, where the drift check looks for them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficCaptureThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "bc-captured";

    private LocalPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();
    private ModelCard card;
    private List<String> columns;
    private List<String[]> rows;

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path work) throws Exception {
        System.setProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY, "1");
        try {
            platform = LocalPlatform.start(dataDir, 0);
        } finally {
            System.clearProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY);
        }
        Path model = LocalModels.train(work.resolve("ml"), java.util.Map.of("epochs", "5"));
        assertThat(model.resolve(DatasetProfile.FILE_NAME)).as("the trainer writes the reference profile").exists();
        card = ModelCard.fromJson(Files.readAllBytes(model.resolve(ModelCard.FILE_NAME)));
        List<String> csv = Files.readAllLines(model.resolve("validation-predictions.csv"));
        columns = List.of(csv.get(0).split(","));
        rows = new ArrayList<>();
        csv.subList(1, csv.size()).forEach(line -> rows.add(line.split(",")));
        post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"" + MODEL + "\"}");
        LocalModels.register(platform, MODEL, model, List.of("model.onnx", ModelCard.FILE_NAME, DatasetProfile.FILE_NAME));
        post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + MODEL + "\", \"version\": \"1\"}");
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void scoredRows_bothProtocols_reachTheCaptureBucketAsOneCountEach() throws Exception {
        Instant started = Instant.now();
        int sent = 0;
        for (int request = 0; request < 5; request++) {
            int batch = 7 + request;
            assertThat(send("/models/" + MODEL + "/invocations", dataframeSplit(batch)).statusCode()).isEqualTo(200);
            sent += batch;
        }
        assertThat(send("/v2/models/" + MODEL + "/infer", inferTensor(13)).statusCode()).isEqualTo(200);
        sent += 13;

        String prefix = CaptureKeys.versionFolder(MODEL, "1");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<S3Object> sketches = sketches(prefix);
        while (rowCount(sketches) < sent && System.nanoTime() < deadline) {
            Thread.sleep(200);
            sketches = sketches(prefix);
        }
        Thread.sleep(1500); // one more flush period: nothing may arrive twice
        sketches = sketches(prefix);

        assertThat(sketches).isNotEmpty();
        assertThat(rowCount(sketches)).isEqualTo(sent);
        CaptureWindow window = new CaptureWindow(started.minusSeconds(1), Instant.now());
        for (S3Object sketch : sketches) {
            assertThat(window.contains(sketch.key(), sketch.lastModified().toEpochMilli())).as(sketch.key()).isTrue();
            assertThat(window.hourPrefixes(MODEL, "1")).anyMatch(sketch.key()::startsWith);
        }
        StreamingProfile merged = read(sketches.get(0));
        sketches.subList(1, sketches.size()).forEach(s -> merged.merge(read(s)));
        String registered = registeredFolder() + "/" + DatasetProfile.FILE_NAME;
        DatasetProfile reference = DatasetProfile.fromJson(platform.engines().s3Client().getObjectAsBytes(b -> b
                .bucket(platform.engines().bucketName(BucketDefinition.ARTIFACTS)).key(registered)).asByteArray());
        List<String> expected = new ArrayList<>(card.features());
        reference.predictions().forEach(p -> expected.add(p.name()));
        assertThat(merged.schema()).extracting(FeatureSpec::name).containsExactlyElementsOf(expected);
        assertThat(reference.predictions()).hasSize(card.outputLabels().size());
        assertThat(merged.rowCount()).isEqualTo(sent);
    }
    private String registeredFolder() throws Exception {
        return get("/api/2.0/mlflow/model-versions/get-download-uri?name=" + MODEL + "&version=1")
                .get("artifact_uri").asText().substring("mlflow-artifacts:/".length());
    }

    private List<S3Object> sketches(String prefix) {
        return CapturedSketches.list(platform.engines().s3Client(), platform.engines().bucketName(
                BucketDefinition.CAPTURE), prefix);
    }

    private StreamingProfile read(S3Object sketch) {
        String bucket = platform.engines().bucketName(BucketDefinition.CAPTURE);
        return StreamingProfile.fromBytes(platform.engines().s3Client().getObjectAsBytes(b -> b.bucket(bucket)
                .key(sketch.key())).asByteArray());
    }

    private long rowCount(List<S3Object> sketches) {
        return sketches.stream().mapToLong(s -> read(s).rowCount()).sum();
    }

    /** The first {@code count} validation rows, in the card's column order. */
    private String dataframeSplit(int count) {
        ObjectNode frame = JSON.createObjectNode();
        ObjectNode split = frame.putObject("dataframe_split");
        ArrayNode names = split.putArray("columns");
        card.features().forEach(names::add);
        ArrayNode data = split.putArray("data");
        for (int r = 0; r < count; r++) {
            ArrayNode values = data.addArray();
            for (String feature : card.features()) {
                values.add(Double.parseDouble(rows.get(r)[columns.indexOf(feature)]));
            }
        }
        return frame.toString();
    }

    private String inferTensor(int count) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = body.putArray("inputs").addObject().put("name", card.inputTensor()).put("datatype", "FP32");
        input.putArray("shape").add(count).add(card.features().size());
        ArrayNode data = input.putArray("data");
        for (int r = 0; r < count; r++) {
            for (String feature : card.features()) {
                data.add(Double.parseDouble(rows.get(r)[columns.indexOf(feature)]));
            }
        }
        return body.toString();
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.url() + path)).POST(BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), BodyHandlers.ofString());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = send(path, body);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path)).GET()
                .build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
