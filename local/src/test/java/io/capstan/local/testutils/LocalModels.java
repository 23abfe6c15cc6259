package io.capstan.local.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.LocalPlatform;
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

/** Models for the platform's tests: trained by Capstan's trainer as a process, registered over the platform's API. */
public final class LocalModels {
    /** The breast-cancer data set, from a module folder of the repository. */
    public static final Path BREAST_CANCER = Path.of("../scripts/data/breast_cancer.csv");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalModels() {
    }

    /** Trains on the breast-cancer data with the trainer built by the reactor; returns the model folder. */
    public static Path train(Path mlRoot, Map<String, String> hyperparameters) {
        TrainerProcess.prepare(mlRoot, hyperparameters, Map.of("train", BREAST_CANCER));
        TrainingOutcome outcome = TrainerProcess.inRepository(Path.of("")).train(mlRoot, line -> { });
        assertThat(outcome).isInstanceOf(TrainingOutcome.Trained.class);
        return ((TrainingOutcome.Trained) outcome).modelDir();
    }

    /**
     * Uploads {@code files} of a model folder as a new run's {@code model/} artifacts and registers them as the next
     * version of {@code model} (which must exist); asserts the version is READY.
     */
    public static void register(LocalPlatform platform, String model, Path modelDir, List<String> files)
            throws Exception {
        String runId = call(platform, "POST", "/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"0\"}")
                .at("/run/info/run_id").asText();
        String root = call(platform, "GET", "/api/2.0/mlflow/runs/get?run_id=" + runId, null)
                .at("/run/info/artifact_uri").asText().substring("mlflow-artifacts:/".length());
        for (String file : files) {
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(platform.url()
                    + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/" + file))
                    .PUT(BodyPublishers.ofByteArray(Files.readAllBytes(modelDir.resolve(file)))).build(),
                    BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        }
        JsonNode version = call(platform, "POST", "/api/2.0/mlflow/model-versions/create", "{\"name\": \"" + model
                + "\", \"source\": \"runs:/" + runId + "/model\", \"run_id\": \"" + runId + "\"}");
        assertThat(version.at("/model_version/status").asText()).as(version.toString()).isEqualTo("READY");
    }

    private static JsonNode call(LocalPlatform platform, String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.url() + path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
