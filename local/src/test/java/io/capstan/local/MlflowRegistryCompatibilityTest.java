package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.local.training.TrainerProcess;
import io.capstan.local.training.TrainingOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;

/**
 * MLflow registry scenarios driven by MLflow's official Java client against the embedded platform, on a model the
 * trainer produced. The Java client reads the registry; its writes (create, transition, alias, tag) go through its
 * own HTTP caller ({@code sendPost}, {@code sendPatch}), and deletes, which it cannot send, through plain HTTP with
 * the JSON body MLflow's Python client sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowRegistryCompatibilityTest {

    private LocalPlatform platform;
    private MlflowClient client;
    private String runId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path mlRoot) throws Exception {
        platform = LocalPlatform.start(dataDir, 0);
        client = new MlflowClient(platform.url().toString());
        TrainerProcess.prepare(mlRoot, Map.of("epochs", "3"), Map.of("train",
                Path.of("../scripts/data/breast_cancer.csv")));
        TrainingOutcome outcome = TrainerProcess.inRepository(Path.of("")).train(mlRoot, line -> { });
        assertThat(outcome).isInstanceOf(TrainingOutcome.Trained.class);
        runId = client.createRun(client.createExperiment("registry-compat")).getRunId();
        String root = client.getRun(runId).getInfo().getArtifactUri().substring("mlflow-artifacts:/".length());
        for (String file : List.of("model.onnx", "model-card.json")) {
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(platform.url()
                    + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/" + file))
                    .PUT(BodyPublishers.ofByteArray(Files.readAllBytes(mlRoot.resolve("model").resolve(file)))).build(),
                    BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
        }
    }

    @AfterAll
    void stop() {
        client.close();
        platform.close();
    }

    @Test
    void createVersions_readBackReadyAsMlflowWould() {
        String name = model(2);

        ModelVersion first = client.getModelVersion(name, "1");
        RegisteredModel registered = client.getRegisteredModel(name);

        assertThat(first.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(first.getRunId()).isEqualTo(runId);
        assertThat(first.getSource()).isEqualTo("runs:/" + runId + "/model");
        assertThat(first.getCurrentStage()).isEqualTo("None");
        assertThat(registered.getName()).isEqualTo(name);
        assertThat(registered.getLatestVersionsList()).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(client.getModelVersionDownloadUri(name, "1")).startsWith("mlflow-artifacts:/registry/" + name + "/1/");
    }

    @Test
    void transitionStage_withArchiving_asMlflow() {
        String name = model(3);
        transition(name, "1", "Production", false);
        transition(name, "2", "staging", false);

        transition(name, "3", "production", true);

        assertThat(client.getLatestVersions(name, List.of("Production"))).extracting(ModelVersion::getVersion)
                .containsExactly("3");
        assertThat(client.getModelVersion(name, "1").getCurrentStage()).isEqualTo("Archived");
        assertThat(client.getModelVersion(name, "2").getCurrentStage()).isEqualTo("Staging");
        assertThatThrownBy(() -> transition(name, "1", "Live", false))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }

    @Test
    void aliasesAndTags_showOnTheModelAndItsVersions() {
        String name = model(2);

        client.sendPost("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"champion\", \"version\":"
                + " \"2\"}");
        client.sendPost("registered-models/set-tag", "{\"name\": \"" + name + "\", \"key\": \"team\", \"value\":"
                + " \"oncology\"}");
        client.sendPost("model-versions/set-tag", "{\"name\": \"" + name + "\", \"version\": \"1\", \"key\":"
                + " \"validated\", \"value\": \"true\"}");
        client.sendPatch("registered-models/update", "{\"name\": \"" + name + "\", \"description\": \"breast cancer\"}");

        RegisteredModel registered = client.getRegisteredModel(name);
        assertThat(registered.getAliasesList()).singleElement().satisfies(a -> {
            assertThat(a.getAlias()).isEqualTo("champion");
            assertThat(a.getVersion()).isEqualTo("2");
        });
        assertThat(registered.getTagsList()).anyMatch(t -> t.getKey().equals("team") && t.getValue().equals("oncology"));
        assertThat(registered.getDescription()).isEqualTo("breast cancer");
        assertThat(client.getModelVersion(name, "2").getAliasesList()).containsExactly("champion");
        assertThat(client.getModelVersion(name, "1").getTagsList()).anyMatch(t -> t.getKey().equals("validated"));
    }

    @Test
    void searchModelVersions_filterAndPages() {
        String name = model(3);

        ModelVersionsPage first = client.searchModelVersions("name = '" + name + "'", 2, List.of("version_number ASC"));
        ModelVersionsPage second = (ModelVersionsPage) first.getNextPage();

        assertThat(first.getItems()).extracting(ModelVersion::getVersion).containsExactly("1", "2");
        assertThat(second.getItems()).extracting(ModelVersion::getVersion).containsExactly("3");
        assertThat(second.hasNextPage()).isFalse();
        assertThat(client.searchModelVersions("run_id = '" + runId + "' AND name = '" + name + "'").getItems())
                .hasSize(3);
    }

    @Test
    void delete_versionThenModel_areGoneAndNumbersNotReused() throws Exception {
        String name = model(2);

        delete("model-versions/delete", "{\"name\": \"" + name + "\", \"version\": \"2\"}");
        createVersion(name);
        assertThat(client.searchModelVersions("name = '" + name + "'").getItems()).extracting(ModelVersion::getVersion)
                .containsExactlyInAnyOrder("1", "3");
        delete("registered-models/delete", "{\"name\": \"" + name + "\"}");

        assertThatThrownBy(() -> client.getRegisteredModel(name))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
    }

    @Test
    void createRegisteredModel_twice_isResourceAlreadyExists() {
        String name = model(0);

        assertThatThrownBy(() -> client.sendPost("registered-models/create", "{\"name\": \"" + name + "\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                });
    }

    private String model(int versions) {
        String name = "compat-" + UUID.randomUUID().toString().substring(0, 8);
        client.sendPost("registered-models/create", "{\"name\": \"" + name + "\"}");
        for (int i = 0; i < versions; i++) {
            createVersion(name);
        }
        return name;
    }

    private void createVersion(String name) {
        client.sendPost("model-versions/create", "{\"name\": \"" + name + "\", \"source\": \"runs:/" + runId
                + "/model\", \"run_id\": \"" + runId + "\"}");
    }

    private void transition(String name, String version, String stage, boolean archive) {
        client.sendPost("model-versions/transition-stage", "{\"name\": \"" + name + "\", \"version\": \"" + version
                + "\", \"stage\": \"" + stage + "\", \"archive_existing_versions\": " + archive + "}");
    }

    private void delete(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/api/2.0/mlflow/"
                + path)).method("DELETE", BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
