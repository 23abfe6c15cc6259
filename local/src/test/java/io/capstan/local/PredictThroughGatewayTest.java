package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.testutils.LocalModels;
import io.capstan.model.ModelCard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predictions through the local gateway from models the trainer produced and the registry checked: both protocols,
 * parity with ONNX Runtime's own outputs and with Tribuo's, aliases, pins, the canary split and a promotion taking
 * effect while the platform runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "bc-serving";

    private LocalPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path modelV1;
    private ModelCard card;
    private List<String> columns;
    private List<double[]> rows;
    private List<double[]> tribuoProbabilities;

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path work) throws Exception {
        platform = LocalPlatform.start(dataDir, 0);
        modelV1 = LocalModels.train(work.resolve("v1"), Map.of("epochs", "20"));
        Path modelV2 = LocalModels.train(work.resolve("v2"), Map.of("epochs", "2"));
        card = ModelCard.fromJson(Files.readAllBytes(modelV1.resolve(ModelCard.FILE_NAME)));
        readValidationPredictions(modelV1.resolve("validation-predictions.csv"));
        post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"" + MODEL + "\"}");
        LocalModels.register(platform, MODEL, modelV1, List.of("model.onnx", ModelCard.FILE_NAME));
        LocalModels.register(platform, MODEL, modelV2, List.of("model.onnx", ModelCard.FILE_NAME));
        post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + MODEL + "\", \"version\": \"1\"}");
        post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + MODEL + "\", \"version\": \"2\", \"alias\":"
                + " \"challenger\"}");
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    @Order(1)
    void invocations_dataframeSplit_equalsOnnxRuntimeAndTribuo() throws Exception {
        HttpResponse<String> response = send("/models/" + MODEL + "/invocations", dataframeSplit(), Map.of());
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        float[][] ort = onnxRuntime();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Capstan-Model-Version")).hasValue("1");
        assertThat(predictions).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            for (int l = 0; l < card.outputLabels().size(); l++) {
                double served = predictions.get(i).at("/probabilities/" + card.outputLabels().get(l)).asDouble();
                assertThat(served).as("row %d label %d vs ONNX Runtime", i, l).isCloseTo(ort[i][l], within(1e-6));
                assertThat(served).as("row %d label %d vs Tribuo", i, l).isCloseTo(tribuoProbabilities.get(i)[l],
                        within(1e-5));
            }
        }
    }

    @Test
    @Order(2)
    void openInferenceProtocol_infer_sameProbabilitiesAndLabels() throws Exception {
        ObjectNode body = JSON.createObjectNode().put("id", "req-1");
        ObjectNode input = body.putArray("inputs").addObject().put("name", card.inputTensor()).put("datatype", "FP32");
        input.putArray("shape").add(rows.size()).add(card.features().size());
        ArrayNode data = input.putArray("data");
        for (double[] row : rows) {
            for (String feature : card.features()) {
                data.add(row[columns.indexOf(feature)]);
            }
        }

        HttpResponse<String> response = send("/v2/models/" + MODEL + "/infer", body.toString(), Map.of());
        JsonNode out = JSON.readTree(response.body());
        float[][] ort = onnxRuntime();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(out.get("model_version").asText()).isEqualTo("1");
        assertThat(out.get("id").asText()).isEqualTo("req-1");
        JsonNode probabilities = outputNamed(out, "probabilities").get("data");
        for (int i = 0; i < rows.size(); i++) {
            for (int l = 0; l < card.outputLabels().size(); l++) {
                assertThat(probabilities.get(i * card.outputLabels().size() + l).asDouble())
                        .isCloseTo(ort[i][l], within(1e-6));
            }
        }

        // the same request with the binary data extension, both ways, through the listener
        input.remove("data");
        java.nio.ByteBuffer values = java.nio.ByteBuffer.allocate(data.size() * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.forEach(value -> values.putFloat(value.floatValue()));
        input.putObject("parameters").put("binary_data_size", values.capacity());
        body.putArray("outputs").addObject().put("name", "probabilities").putObject("parameters")
                .put("binary_data", true);
        byte[] head = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] whole = java.util.Arrays.copyOf(head, head.length + values.capacity());
        System.arraycopy(values.array(), 0, whole, head.length, values.capacity());
        HttpResponse<byte[]> binary = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/v2/models/"
                        + MODEL + "/infer")).POST(BodyPublishers.ofByteArray(whole))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(head.length)).build(),
                BodyHandlers.ofByteArray());
        assertThat(binary.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(binary.headers().firstValue("Inference-Header-Content-Length")
                .orElseThrow());
        java.nio.ByteBuffer answered = java.nio.ByteBuffer.wrap(binary.body(), jsonLength, binary.body().length
                - jsonLength).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(answered.capacity()).isEqualTo(probabilities.size() * 4);
        for (int i = 0; i < probabilities.size(); i++) {
            assertThat(answered.getFloat(i * 4)).isEqualTo(probabilities.get(i).floatValue());
        }
    }

    @Test
    @Order(3)
    void aliasAndPin_serveTheVersionsTheyName() throws Exception {
        HttpResponse<String> challenger = send("/models/" + MODEL + "@challenger/invocations", dataframeSplit(), Map.of());
        HttpResponse<String> pinned = send("/models/" + MODEL + "@v2/invocations", dataframeSplit(), Map.of());
        HttpResponse<String> missing = send("/models/" + MODEL + "@v9/invocations", dataframeSplit(), Map.of());

        assertThat(challenger.headers().firstValue("X-Capstan-Model-Version")).hasValue("2");
        assertThat(pinned.headers().firstValue("X-Capstan-Model-Version")).hasValue("2");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void trafficPolicy_routingKeysSplitNinetyTenAndStick() throws Exception {
        post("/api/2.0/capstan/registry/traffic", "{\"name\": \"" + MODEL + "\", \"routes\": [{\"target\": \"champion\","
                + " \"weight\": 90}, {\"target\": \"challenger\", \"weight\": 10}]}");
        Thread.sleep(2100);
        String oneRow = "{\"dataframe_records\": [" + record(rows.get(0)) + "]}";

        Map<String, String> versionOfKey = new HashMap<>();
        int challenger = 0;
        for (int i = 0; i < 1000; i++) {
            String version = send("/models/" + MODEL + "/invocations", oneRow, Map.of("X-Capstan-Routing-Key",
                    "customer-" + i)).headers().firstValue("X-Capstan-Model-Version").orElseThrow();
            versionOfKey.put("customer-" + i, version);
            challenger += version.equals("2") ? 1 : 0;
        }
        for (int i = 0; i < 100; i++) {
            String again = send("/models/" + MODEL + "/invocations", oneRow, Map.of("X-Capstan-Routing-Key",
                    "customer-" + i)).headers().firstValue("X-Capstan-Model-Version").orElseThrow();
            assertThat(again).isEqualTo(versionOfKey.get("customer-" + i));
        }

        assertThat(challenger / 10.0).as("challenger share in percent").isBetween(7.0, 13.0);
        platformDelete("/api/2.0/capstan/registry/traffic", "{\"name\": \"" + MODEL + "\"}");
    }

    @Test
    @Order(5)
    void promotion_reachesServingWithinSeconds() throws Exception {
        post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + MODEL + "\", \"version\": \"2\"}");

        long deadline = System.currentTimeMillis() + 5000;
        String version = "";
        while (System.currentTimeMillis() < deadline && !version.equals("2")) {
            version = send("/models/" + MODEL + "/invocations", dataframeSplit(), Map.of())
                    .headers().firstValue("X-Capstan-Model-Version").orElseThrow();
            Thread.sleep(100);
        }

        assertThat(version).isEqualTo("2");
    }

    private void readValidationPredictions(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        columns = new ArrayList<>();
        List<Integer> probabilityColumns = new ArrayList<>();
        for (int i = 0; i < header.length; i++) {
            if (header[i].startsWith("probability:")) {
                probabilityColumns.add(i);
            } else {
                columns.add(header[i]);
            }
        }
        rows = new ArrayList<>();
        tribuoProbabilities = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] row = new double[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                row[c] = columns.get(c).equals("label") ? 0 : Double.parseDouble(cells[c]);
            }
            rows.add(row);
            double[] probabilities = new double[card.outputLabels().size()];
            for (int l = 0; l < probabilities.length; l++) {
                String label = card.outputLabels().get(l);
                int column = List.of(header).indexOf("probability:" + label);
                probabilities[l] = Double.parseDouble(cells[column]);
            }
            tribuoProbabilities.add(probabilities);
        }
        assertThat(probabilityColumns).hasSize(card.outputLabels().size());
    }

    /** ONNX Runtime's own answer on the same rows, the model file read straight from the trainer's output. */
    private float[][] onnxRuntime() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] input = new float[rows.size()][card.features().size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int f = 0; f < card.features().size(); f++) {
                input[i][f] = (float) rows.get(i)[columns.indexOf(card.features().get(f))];
            }
        }
        try (OrtSession session = env.createSession(Files.readAllBytes(modelV1.resolve("model.onnx")));
             OnnxTensor tensor = OnnxTensor.createTensor(env, input);
             OrtSession.Result result = session.run(Map.of(card.inputTensor(), tensor))) {
            return (float[][]) result.get(card.outputTensor()).orElseThrow().getValue();
        }
    }

    private String dataframeSplit() {
        ObjectNode split = JSON.createObjectNode();
        ObjectNode frame = split.putObject("dataframe_split");
        ArrayNode names = frame.putArray("columns");
        // the columns in reverse order: the function matches them to the card by name
        List<String> features = new ArrayList<>(card.features());
        java.util.Collections.reverse(features);
        features.forEach(names::add);
        ArrayNode data = frame.putArray("data");
        for (double[] row : rows) {
            ArrayNode values = data.addArray();
            features.forEach(f -> values.add(row[columns.indexOf(f)]));
        }
        return split.toString();
    }

    private String record(double[] row) {
        ObjectNode record = JSON.createObjectNode();
        card.features().forEach(f -> record.put(f, row[columns.indexOf(f)]));
        return record.toString();
    }

    private static JsonNode outputNamed(JsonNode response, String name) {
        for (JsonNode output : response.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }

    private HttpResponse<String> send(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.url() + path))
                .POST(BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = send(path, body, Map.of());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path)).GET()
                .build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void platformDelete(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + path))
                .method("DELETE", BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
