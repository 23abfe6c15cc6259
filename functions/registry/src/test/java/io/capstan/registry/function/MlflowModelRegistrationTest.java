package io.capstan.registry.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.modelformat.testutils.OnnxFixtures;
import io.capstan.provenance.Sha256;
import io.capstan.registry.testutils.RegistryTestPlatform;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.Run;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registering models as MLflow's clients log them — skl2onnx, torch.onnx and onnxmltools exports in MLflow's model
 * format, an sklearn pickle, damaged ones — through the registry function on DynamoDB Local, S3Proxy and ONNX Runtime.
 */
class MlflowModelRegistrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MLFLOW = "/api/2.0/mlflow";

    private static RegistryTestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new RegistryTestPlatform();
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void createModelVersion_everyServableFixture_isReadyServableWithAManifestAndEveryFile() throws Exception {
        for (String fixture : OnnxFixtures.SERVABLE) {
            Registered registered = register(fixture);

            assertThat(registered.version().get("status").asText()).as(fixture).isEqualTo("READY");
            assertThat(registered.version().at("/capstan_serving/servable").asBoolean()).as(fixture + ": "
                    + registered.version().at("/capstan_serving/reason").asText()).isTrue();
            ServingManifest manifest = ServingManifest.fromJson(stored(registered.folder() + "/"
                    + ServingManifest.FILE_NAME));
            assertThat(manifest.flavor()).as(fixture).isEqualTo(ServingManifest.Flavor.MLFLOW_ONNX);
            for (Map.Entry<String, byte[]> file : OnnxFixtures.modelFolder(fixture).entrySet()) {
                assertThat(stored(registered.folder() + "/" + file.getKey())).as(fixture + "/" + file.getKey())
                        .isEqualTo(file.getValue());
            }
        }
    }

    @Test
    void createModelVersion_zipMapClassifier_recordsItsCardAndDigest() throws Exception {
        Registered registered = register("sklearn-iris-zipmap");

        ServingManifest manifest = ServingManifest.fromJson(stored(registered.folder() + "/"
                + ServingManifest.FILE_NAME));
        JsonNode provenance = json(platform.get("/api/2.0/capstan/registry/model-versions/provenance",
                "name=" + registered.name() + "&version=1"));

        assertThat(manifest.card().probabilities()).isEqualTo(ModelCard.ProbabilityLayout.ZIPMAP);
        assertThat(manifest.card().labelOutput()).isEqualTo("output_label");
        assertThat(manifest.modelSha256()).isEqualTo(Sha256.hex(OnnxFixtures.file(
                "sklearn-iris-zipmap", "model.onnx")));
        assertThat(provenance.at("/provenance/model_sha256").asText()).isEqualTo(manifest.modelSha256());
        assertThat(provenance.at("/provenance/runtime/model_producer").asText()).isEqualTo("skl2onnx");
        assertThat(provenance.at("/serving/servable").asBoolean()).isTrue();
    }

    @Test
    void createModelVersion_truncatedOnnx_failsRegistrationSayingItIsNotAModel() throws Exception {
        Registered registered = register("corrupt-onnx");

        assertThat(registered.version().get("status").asText()).isEqualTo("FAILED_REGISTRATION");
        assertThat(registered.version().get("status_message").asText()).contains("model.onnx")
                .contains("not a readable ONNX model");
    }

    @Test
    void createModelVersion_signatureContradictingTheGraph_failsNamingBoth() throws Exception {
        Registered registered = register("signature-mismatch");

        assertThat(registered.version().get("status").asText()).isEqualTo("FAILED_REGISTRATION");
        assertThat(registered.version().get("status_message").asText())
                .contains("contradicts its signature").contains("5 input columns").contains("float_input");
    }

    @Test
    void createModelVersion_sklearnPickle_isReadyButNotServableSayingWhatToDo() throws Exception {
        Registered registered = register("sklearn-pickle");

        assertThat(registered.version().get("status").asText()).isEqualTo("READY");
        assertThat(registered.version().at("/capstan_serving/reason").asText())
                .contains("holds an sklearn pickle").contains("skl2onnx").contains("mlflow.onnx.log_model");
        assertThat(stored(registered.folder() + "/model.pkl")).isEqualTo(OnnxFixtures.file("sklearn-pickle",
                "model.pkl"));
    }

    @Test
    void createModelVersion_fromArtifactUriAsMlflow212SendsIt_findsTheRunFolder() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", OnnxFixtures.modelFolder("torch-image"));
        String source = run.info().artifactUri() + "/model";

        JsonNode version = json(platform.call("POST", MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"" + source + "\", \"run_id\": \"" + run.info().runId() + "\"}"))
                .get("model_version");

        assertThat(version.get("source").asText()).isEqualTo(source);
        assertThat(version.get("run_id").asText()).isEqualTo(run.info().runId());
        assertThat(version.at("/capstan_serving/servable").asBoolean()).isTrue();
    }

    @Test
    void createModelVersion_fromLoggedModelAsMlflow3SendsIt_copiesItsFilesAndLinksTheVersion() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("unused", Map.of());
        LoggedModel logged = platform.tracking.loggedModels().create("0", "model", null, run.info().runId(), Map.of(),
                List.of());
        String root = logged.artifactLocation().substring("mlflow-artifacts:/".length());
        OnnxFixtures.modelFolder("sklearn-iris-zipmap").forEach((file, bytes) -> platform.artifacts.put(root + "/"
                + file, bytes));

        JsonNode version = json(platform.call("POST", MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"models:/" + logged.modelId() + "\", \"model_id\": \"" + logged.modelId()
                + "\"}")).get("model_version");
        LoggedModel linked = platform.tracking.getLoggedModel(logged.modelId());

        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.get("run_id").asText()).as("the logged model's run, as MLflow 3 records it")
                .isEqualTo(run.info().runId());
        assertThat(version.at("/capstan_serving/servable").asBoolean()).isTrue();
        assertThat(linked.tags()).containsEntry("mlflow.modelVersions", "[{\"name\": \"" + name
                + "\", \"version\": 1}]");
    }

    @Test
    void createModelVersion_unknownLoggedModel_answers404AndTakesNoVersion() throws Exception {
        String name = newModel();

        io.capstan.http.HttpResponse unknown = platform.call("POST", MLFLOW + "/model-versions/create", "{\"name\": \""
                + name + "\", \"source\": \"models:/m-0123456789abcdef0123456789abcdef\", \"model_id\":"
                + " \"m-0123456789abcdef0123456789abcdef\"}");
        JsonNode next = json(platform.call("POST", MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"models:/m-0123456789abcdef0123456789abcdef\"}")).get("model_version");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(next.get("version").asText()).isEqualTo("1");
        assertThat(next.at("/capstan_serving/reason").asText()).contains("logged model m-0123456789abcdef0123456789abcdef"
                + " does not exist");
    }

    private record Registered(String name, JsonNode version, String folder) {
    }

    private Registered register(String fixture) throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", OnnxFixtures.modelFolder(fixture));
        JsonNode version = json(platform.call("POST", MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\"}")).get("model_version");
        String uri = json(platform.get(MLFLOW + "/model-versions/get-download-uri", "name=" + name + "&version="
                + version.get("version").asText())).get("artifact_uri").asText();
        return new Registered(name, version, uri.substring("mlflow-artifacts:/".length()));
    }

    private String newModel() {
        String name = "fx-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(platform.call("POST", MLFLOW + "/registered-models/create", "{\"name\": \"" + name + "\"}")
                .status()).isEqualTo(200);
        return name;
    }

    private static JsonNode json(io.capstan.http.HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static byte[] stored(String key) throws Exception {
        try (InputStream in = platform.artifacts.get(key).orElseThrow(() -> new AssertionError("no object " + key))
                .stream()) {
            return in.readAllBytes();
        }
    }
}
