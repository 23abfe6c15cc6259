package io.capstan.local;

import static io.capstan.local.testutils.MlflowRest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.testutils.MlflowRest;
import io.capstan.local.testutils.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
    private LocalPlatform platform;
    private MlflowRest rest;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        System.setProperty(LocalPlatform.REGISTRATION_BACKGROUND_PROPERTY, "100");
        try {
            platform = LocalPlatform.start(dataDir, 0);
            rest = new MlflowRest(platform.url());
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
        JsonNode run = rest.runWithArtifacts("model", Map.of("weights.bin", "w".repeat(1000)
                .getBytes(StandardCharsets.US_ASCII)));
        ok(rest.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"big-model\"}"));

        JsonNode created = JSON.readTree(ok(rest.post("/api/2.0/mlflow/model-versions/create", "{\"name\":"
                + " \"big-model\", \"source\": \"" + run.at("/run/info/artifact_uri").asText() + "/model\","
                + " \"run_id\": \"" + run.at("/run/info/run_id").asText() + "\"}")).body()).path("model_version");

        assertThat(created.path("status").asText()).isEqualTo("PENDING_REGISTRATION");
        assertThat(created.path("status_message").asText()).contains("1000 bytes");
        JsonNode registered = Polling.await(() -> {
            JsonNode version = JSON.readTree(ok(rest.get("/api/2.0/mlflow/model-versions/get?name=big-model"
                    + "&version=1")).body()).path("model_version");
            return version.path("status").asText().equals("PENDING_REGISTRATION") ? Optional.empty()
                    : Optional.of(version);
        }, () -> "version 1 of big-model is still PENDING_REGISTRATION");
        assertThat(registered.path("status").asText()).isEqualTo("READY");
        assertThat(registered.path("status_message").asText()).isEmpty();
    }
}
