package io.capstan.local;

import static io.capstan.local.testutils.MlflowRest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.testutils.MlflowRest;
import io.capstan.modelformat.testutils.OnnxFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models as MLflow's clients log them — a torch.onnx export with two named inputs, an onnxmltools tree ensemble, an
 * sklearn pickle — uploaded and registered over MLflow's REST API, given MLflow's {@code champion} alias, and served
 * through the local gateway: the registry and the predict function together, as a team meets them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowFormatModelsThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalPlatform platform;
    private Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private MlflowRest rest;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        this.dataDir = dataDir;
        platform = LocalPlatform.start(dataDir, 0);
        rest = new MlflowRest(platform.url());
        for (String fixture : new String[] {"torch-two-inputs", "xgboost-breast-cancer", "sklearn-pickle",
                "sklearn-iris-zipmap"}) {
            registerAsChampion(fixture);
        }
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void invocations_torchExportWithTwoNamedInputs_answersBothOutputsAsTorchDoes() throws Exception {
        JsonNode expected = JSON.readTree(OnnxFixtures.expected("torch-two-inputs"));

        HttpResponse<String> response = rest.post("/models/torch-two-inputs/invocations",
                expected.get("invocations_request").toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        for (String output : new String[] {"logits", "embedding"}) {
            JsonNode want = expected.at("/expected/" + output);
            assertThat(predictions.get(output)).as(output).hasSize(want.size());
            for (int row = 0; row < want.size(); row++) {
                for (int col = 0; col < want.get(row).size(); col++) {
                    assertThat(predictions.get(output).get(row).get(col).asDouble()).as("%s[%d][%d]", output, row, col)
                            .isCloseTo(want.get(row).get(col).asDouble(), within(1e-5));
                }
            }
        }
    }

    @Test
    void infer_treeEnsemble_answersLabelsAsTheReferenceOnEveryRow() throws Exception {
        JsonNode expected = JSON.readTree(OnnxFixtures.expected("xgboost-breast-cancer"));
        JsonNode rows = expected.get("rows");
        StringBuilder data = new StringBuilder();
        for (JsonNode row : rows) {
            for (JsonNode value : row) {
                data.append(data.length() == 0 ? "" : ",").append(value.asDouble());
            }
        }

        HttpResponse<String> response = rest.post("/v2/models/xgboost-breast-cancer/infer", "{\"inputs\": [{\"name\":"
                + " \"input\", \"datatype\": \"FP32\", \"shape\": [" + rows.size() + ", 30], \"data\": [" + data + "]}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode labels = null;
        for (JsonNode output : JSON.readTree(response.body()).get("outputs")) {
            if (output.get("name").asText().equals("label")) {
                labels = output.get("data");
            }
        }
        assertThat(labels).isNotNull();
        assertThat(labels.toString()).isEqualTo(expected.at("/expected/label").toString());
    }

    @Test
    void invocations_sklearnPickleAsChampion_answers400SayingHowToConvertIt() throws Exception {
        HttpResponse<String> response = rest.post("/models/sklearn-pickle/invocations",
                "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1.0]]}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(error.get("message").asText()).contains("cannot be served").contains("sklearn pickle")
                .contains("skl2onnx");
    }

    @Test
    void artifactApi_registryCopies_cannotBeOverwrittenOrDeleted() throws Exception {
        String copy = downloadUri("xgboost-breast-cancer");

        HttpResponse<String> overwrite = http.send(HttpRequest.newBuilder(URI.create(platform.url()
                + "/api/2.0/mlflow-artifacts/artifacts/" + copy + "/serving.json")).PUT(BodyPublishers.ofString("{}"))
                .build(), BodyHandlers.ofString());
        HttpResponse<String> deleteAll = http.send(HttpRequest.newBuilder(URI.create(platform.url()
                + "/api/2.0/mlflow-artifacts/artifacts/registry")).DELETE().build(), BodyHandlers.ofString());

        assertThat(overwrite.statusCode()).as(overwrite.body()).isEqualTo(403);
        assertThat(deleteAll.statusCode()).as(deleteAll.body()).isEqualTo(403);
        assertThat(JSON.readTree(deleteAll.body()).get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/v2/models/xgboost-breast-cancer"
                + "/ready")).GET().build(), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void invocations_manifestEditedOnDiskAfterRegistration_isRefusedBeforeServing() throws Exception {
        Path manifest = dataDir.resolve("s3").resolve("capstan-artifacts").resolve(downloadUri("sklearn-iris-zipmap"))
                .resolve("serving.json");
        String edited = Files.readString(manifest).replace("\"output_probability\"", "\"output_label\"");
        Files.writeString(manifest, edited);

        HttpResponse<String> response = rest.post("/models/sklearn-iris-zipmap/invocations",
                "{\"dataframe_split\": {\"columns\": [\"sepal_length\", \"sepal_width\", \"petal_length\","
                        + " \"petal_width\"], \"data\": [[5.1, 3.5, 1.4, 0.2]]}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("changed after registration")
                .contains("serving.json has SHA-256");
    }

    private String downloadUri(String model) throws Exception {
        HttpResponse<String> response = rest.get("/api/2.0/mlflow/model-versions/get-download-uri?name=" + model
                + "&version=1");
        return JSON.readTree(ok(response).body()).get("artifact_uri").asText().substring("mlflow-artifacts:/".length());
    }

    /** As MLflow 2.12's client does it: files to the run's artifacts, the version from their URI, then an alias. */
    private void registerAsChampion(String fixture) throws Exception {
        ok(rest.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"" + fixture + "\"}"));
        JsonNode run = rest.runWithArtifacts("model", OnnxFixtures.modelFolder(fixture));
        ok(rest.post("/api/2.0/mlflow/model-versions/create", "{\"name\": \"" + fixture + "\", \"source\": \""
                + run.at("/run/info/artifact_uri").asText() + "/model\", \"run_id\": \""
                + run.at("/run/info/run_id").asText() + "\"}"));
        ok(rest.post("/api/2.0/mlflow/registered-models/alias", "{\"name\": \"" + fixture + "\", \"alias\":"
                + " \"champion\", \"version\": \"1\"}"));
    }
}
