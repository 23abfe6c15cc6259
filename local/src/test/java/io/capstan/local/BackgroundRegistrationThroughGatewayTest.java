package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model version whose source is over the background threshold (here 100 bytes), registered over MLflow's REST API
 * through the gateway: answered {@code PENDING_REGISTRATION} at once, then {@code READY} when the background thread
 * has registered it, as MLflow's clients poll for (`register_model(..., await_registration_for=...)`).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackgroundRegistrationThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalPlatform platform;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        System.setProperty(LocalPlatform.REGISTRATION_BACKGROUND_PROPERTY, "100");
        try {
            platform = LocalPlatform.start(dataDir, 0);
        } finally {
            System.clearProperty(LocalPlatform.REGISTRATION_BACKGROUND_PROPERTY);
        }
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void createModelVersion_sourceOverTheThreshold_isPendingThenReady() throws Exception {
        JsonNode run = JSON.readTree(ok(post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"0\"}")).body());
        String artifactUri = run.at("/run/info/artifact_uri").asText();
        String root = artifactUri.substring("mlflow-artifacts:/".length());
        ok(http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/api/2.0/mlflow-artifacts/artifacts/" + root
                + "/model/weights.bin")).PUT(BodyPublishers.ofByteArray("w".repeat(1000)
                .getBytes(StandardCharsets.US_ASCII))).build(), BodyHandlers.ofString()));
        ok(post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"big-model\"}"));

        JsonNode created = JSON.readTree(ok(post("/api/2.0/mlflow/model-versions/create", "{\"name\": \"big-model\", "
                + "\"source\": \"" + artifactUri + "/model\", \"run_id\": \"" + run.at("/run/info/run_id").asText()
                + "\"}")).body()).path("model_version");

        assertThat(created.path("status").asText()).isEqualTo("PENDING_REGISTRATION");
        assertThat(created.path("status_message").asText()).contains("1000 bytes");
        JsonNode version = created;
        while (version.path("status").asText().equals("PENDING_REGISTRATION")) {
            Thread.sleep(50);
            version = JSON.readTree(ok(http.send(HttpRequest.newBuilder(URI.create(platform.url()
                    + "/api/2.0/mlflow/model-versions/get?name=big-model&version=1")).GET().build(),
                    BodyHandlers.ofString())).body()).path("model_version");
        }
        assertThat(version.path("status").asText()).isEqualTo("READY");
        assertThat(version.path("status_message").asText()).isEmpty();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.url() + path))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
