package io.capstan.registry.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.registry.testutils.RegistryTestPlatform;
import io.capstan.tracking.Run;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda entry point with both kinds of event it gets: API Gateway requests, and the registration events it sends
 * itself for sources over the background threshold (here 0 bytes, so every source with files goes there).
 */
class RegistryLambdaHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryTestPlatform platform;
    private static final List<RegistrationEvent> QUEUED = new ArrayList<>();
    private static RegistryLambdaHandler handler;

    @BeforeAll
    static void start() throws Exception {
        platform = new RegistryTestPlatform();
        handler = new RegistryLambdaHandler(RegistryLambdaHandler.Wiring.create(platform.dynamoDb,
                RegistryTestPlatform.TABLE, platform.s3Client(), platform.s3Presigner(), RegistryTestPlatform.BUCKET,
                Clock.systemUTC(), Optional.of(new RegistryLambdaHandler.Background(
                        (name, version) -> QUEUED.add(new RegistrationEvent(name, version)), 0))));
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void largeSource_isAnsweredPendingThenRegisteredByTheEventTheFunctionSendsItself() throws Exception {
        Run run = platform.runWithArtifacts("model", Map.of("notes.txt", "not a model".getBytes(StandardCharsets.UTF_8)));
        api("POST", "/api/2.0/mlflow/registered-models/create", "{\"name\": \"background\"}");

        JsonNode created = api("POST", "/api/2.0/mlflow/model-versions/create", "{\"name\": \"background\", "
                + "\"source\": \"runs:/" + run.info().runId() + "/model\", \"run_id\": \"" + run.info().runId() + "\"}");

        assertThat(created.path("statusCode").asInt()).isEqualTo(200);
        JsonNode pending = JSON.readTree(created.path("body").asText()).path("model_version");
        assertThat(pending.path("status").asText()).isEqualTo("PENDING_REGISTRATION");
        assertThat(pending.path("status_message").asText()).contains("in the background");
        assertThat(QUEUED).containsExactly(new RegistrationEvent("background", 1));

        JsonNode completed = invoke(QUEUED.get(0).toJson());
        JsonNode again = invoke(QUEUED.get(0).toJson());
        JsonNode read = api("GET", "/api/2.0/mlflow/model-versions/get", null, "name=background&version=1");
        JsonNode download = api("GET", "/api/2.0/mlflow/model-versions/get-download-uri", null,
                "name=background&version=1");

        assertThat(completed.path("status").asText()).isEqualTo("READY");
        assertThat(again.path("status").asText()).isEqualTo("READY");
        JsonNode version = JSON.readTree(read.path("body").asText()).path("model_version");
        assertThat(version.path("status").asText()).isEqualTo("READY");
        assertThat(JSON.readTree(download.path("body").asText()).path("artifact_uri").asText())
                .startsWith("mlflow-artifacts:/registry/background/1/");
    }

    @Test
    void registrationEvent_malformed_isRefusedWithoutTouchingTheRegistry() {
        byte[] event = "{\"capstan_registration\": {\"name\": \"x\"}}".getBytes(StandardCharsets.UTF_8);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> invoke(event))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capstan_registration");
    }

    @Test
    void registrationEvent_roundTripsThroughItsJson() {
        RegistrationEvent event = new RegistrationEvent("churn", 7);

        assertThat(RegistrationEvent.from(event.toJson())).contains(event);
        assertThat(RegistrationEvent.from("{\"rawPath\": \"/x\", \"body\": \"{\\\"capstan_registration\\\": 1}\"}"
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    private static JsonNode api(String method, String path, String body) throws Exception {
        return api(method, path, body, "");
    }

    private static JsonNode api(String method, String path, String body, String query) throws Exception {
        Map<String, Object> event = new java.util.HashMap<>(Map.of("version", "2.0", "rawPath", path,
                "rawQueryString", query, "headers", Map.of("content-type", "application/json"),
                "requestContext", Map.of("http", Map.of("method", method), "authorizer", Map.of("lambda",
                        Map.of("caller", "ada"))), "isBase64Encoded", false));
        if (body != null) {
            event.put("body", body);
        }
        return invoke(JSON.writeValueAsBytes(event));
    }

    private static JsonNode invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }
}
