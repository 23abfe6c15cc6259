package io.capstan.tracking.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.tracking.function.TrackingTestPlatform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replays every API Gateway sample event in {@code events/apigateway/tracking} through the Lambda entry point. */
class TrackingEventsReplayTest {
    private static final Path EVENTS = Path.of("../../events/apigateway/tracking");
    private static final Path MAINTENANCE = Path.of("../../events/maintenance");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TrackingTestPlatform platform;
    private static TrackingLambdaHandler handler;

    @BeforeAll
    static void start() throws Exception {
        platform = new TrackingTestPlatform();
        handler = new TrackingLambdaHandler(platform.function, platform.tracking);
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    private record Expectation(int status, Consumer<APIGatewayV2HTTPResponse> check) {
    }

    private static Map<String, Expectation> expectations(Map<String, String> ids) {
        Map<String, Expectation> e = new HashMap<>();
        e.put("01-health", new Expectation(200, r -> assertThat(r.getBody()).isEqualTo("OK")));
        e.put("02-create-experiment", new Expectation(200, r -> ids.put("EXPERIMENT_ID",
                json(r).get("experiment_id").asText())));
        e.put("03-get-experiment-by-name", new Expectation(200, r -> assertThat(json(r).at("/experiment/tags/0/value")
                .asText()).isEqualTo("fraud")));
        e.put("04-create-run", new Expectation(200, r -> ids.put("RUN_ID", json(r).at("/run/info/run_id").asText())));
        e.put("05-log-batch", new Expectation(200, r -> assertThat(r.getBody()).isEqualTo("{}")));
        e.put("06-log-metric", new Expectation(200, r -> assertThat(r.getBody()).isEqualTo("{}")));
        e.put("07-get-metric-history", new Expectation(200, r -> assertThat(json(r).get("metrics")).hasSize(3)));
        e.put("08-search-runs", new Expectation(200, r -> assertThat(json(r).at("/runs/0/info/run_id").asText())
                .isEqualTo(ids.get("RUN_ID"))));
        e.put("09-get-run", new Expectation(200, r -> {
            JsonNode data = json(r).at("/run/data");
            assertThat(data.toString()).contains("\"value\":\"NaN\"").contains("\"value\":0.12");
        }));
        e.put("10-upload-artifact", new Expectation(200, r -> assertThat(r.getBody()).isEqualTo("{}")));
        e.put("11-list-artifacts", new Expectation(200, r -> assertThat(json(r).at("/files/0/path").asText())
                .isEqualTo("model/notes.txt")));
        e.put("12-download-artifact", new Expectation(200, r -> assertThat(
                r.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8)
                        : r.getBody()).isEqualTo("trained on events\n")));
        e.put("13-log-param-changed-value", new Expectation(400, r -> assertThat(json(r).get("error_code").asText())
                .isEqualTo("INVALID_PARAMETER_VALUE")));
        e.put("14-get-unknown-run", new Expectation(404, r -> assertThat(json(r).get("error_code").asText())
                .isEqualTo("RESOURCE_DOES_NOT_EXIST")));
        e.put("15-malformed-json", new Expectation(400, r -> assertThat(json(r).get("error_code").asText())
                .isEqualTo("INVALID_PARAMETER_VALUE")));
        e.put("16-artifact-path-traversal", new Expectation(400, r -> assertThat(json(r).get("message").asText())
                .contains("Invalid path")));
        e.put("17-update-run-finished", new Expectation(200, r -> assertThat(json(r).at("/run_info/status").asText())
                .isEqualTo("FINISHED")));
        e.put("18-unknown-endpoint", new Expectation(404, r -> assertThat(json(r).get("error_code").asText())
                .isEqualTo("ENDPOINT_NOT_FOUND")));
        return e;
    }

    @Test
    void handleRequest_everySampleEvent_answersAsExpected() throws Exception {
        Map<String, String> ids = new HashMap<>();
        Map<String, Expectation> expected = expectations(ids);
        // the response is read back as the Lambda runtime's own serializer reads what a handler writes
        PojoSerializer<APIGatewayV2HTTPResponse> responses = LambdaEventSerializers.serializerFor(
                APIGatewayV2HTTPResponse.class, getClass().getClassLoader());
        List<Path> files;
        try (Stream<Path> listing = Files.list(EVENTS)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString().replace(".json", ""))
                .containsExactlyInAnyOrderElementsOf(expected.keySet());

        for (Path file : files) {
            String name = file.getFileName().toString().replace(".json", "");
            String raw = Files.readString(file);
            for (Map.Entry<String, String> id : ids.entrySet()) {
                raw = raw.replace("${" + id.getKey() + "}", id.getValue());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            handler.handleRequest(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), out, null);

            APIGatewayV2HTTPResponse response = responses.fromJson(new ByteArrayInputStream(out.toByteArray()));

            Expectation expectation = expected.get(name);
            assertThat(response.getStatusCode()).as(name + ": " + response.getBody()).isEqualTo(expectation.status());
            expectation.check().accept(response);
        }
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    @Test
    void handleRequest_indexRunsMaintenanceEvent_indexesEveryExperiment() throws Exception {
        String experimentId = platform.tracking.createExperiment("maintenance-" + System.nanoTime(), null, Map.of());
        platform.tracking.createRun(experimentId, "u", "before-the-index", 1L, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(Files.newInputStream(MAINTENANCE.resolve("index-runs.json")), out,
                new RemainingTime(60_000));

        JsonNode answer = JSON.readTree(out.toByteArray());
        assertThat(answer.path("done").asBoolean()).isTrue();
        assertThat(answer.path("indexed").asInt()).isEqualTo(answer.path("experiments").asInt())
                .isGreaterThanOrEqualTo(2);
    }

    /** A Lambda context that only knows how much time is left. */
    private record RemainingTime(int millis) implements com.amazonaws.services.lambda.runtime.Context {
        @Override
        public int getRemainingTimeInMillis() {
            return millis;
        }

        @Override
        public String getAwsRequestId() {
            return "test";
        }

        @Override
        public String getLogGroupName() {
            return null;
        }

        @Override
        public String getLogStreamName() {
            return null;
        }

        @Override
        public String getFunctionName() {
            return "tracking";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return null;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return null;
        }
    }
}
