package io.capstan.tracking.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input on the tracking routes: a 4xx in MLflow's error shape, and nothing partly written. */
class TrackingFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TrackingTestPlatform platform;
    private static String experimentId;

    @BeforeAll
    static void start() throws Exception {
        platform = new TrackingTestPlatform();
        experimentId = json(post("/experiments/create", "{\"name\":\"bad-input\"}")).get("experiment_id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    private static String newRun() {
        return json(post("/runs/create", "{\"experiment_id\":\"" + experimentId + "\"}")).at("/run/info/run_id").asText();
    }

    private static HttpResponse post(String path, String body) {
        return platform.function.apply(new HttpRequest("POST", "/api/2.0/mlflow" + path, Map.of(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "test"));
    }

    private static HttpResponse get(String path, String query) {
        return platform.function.apply(new HttpRequest("GET", "/api/2.0/mlflow" + path, QueryString.parse(query),
                Map.of(), null, "test"));
    }

    private static JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.bodyAsString(), e);
        }
    }

    private static void assertError(HttpResponse response, int status, String code, String messagePart) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(messagePart);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/experiments/create | {\"name\": 5} | name",
        "/experiments/create | {} | name",
        "/runs/create | {\"experiment_id\": \"999999\"} | 999999",
        "/runs/log-metric | {\"run_id\": \"RUN\", \"key\": \"m\", \"value\": \"abc\", \"timestamp\": 1} | value",
        "/runs/log-metric | {\"run_id\": \"RUN\", \"key\": \"m\", \"value\": 1} | timestamp",
        "/runs/log-metric | {\"run_id\": \"RUN\", \"key\": \"bad:name\", \"value\": 1, \"timestamp\": 1} | bad:name",
        "/runs/log-metric | {\"run_id\": \"RUN\", \"key\": \"a/../b\", \"value\": 1, \"timestamp\": 1} | a/../b",
        "/runs/log-parameter | {\"run_id\": \"RUN\", \"key\": \"p\"} | value",
        "/runs/set-tag | {\"run_id\": \"RUN\", \"key\": \"t\", \"value\": 7} | value",
        "/runs/log-batch | {\"run_id\": \"RUN\", \"metrics\": {\"key\": \"m\"}} | metrics",
        "/runs/update | {\"run_id\": \"RUN\", \"status\": \"DANCING\"} | status",
        "/runs/search | {\"experiment_ids\": [\"0\"], \"filter\": \"metrics.m >\"} | filter",
        "/runs/search | {\"experiment_ids\": [\"0\"], \"max_results\": 50001} | max_results",
        "/runs/delete-tag | {\"run_id\": \"RUN\", \"key\": \"missing\"} | missing",
    })
    void apply_badInput_clientErrorNamingTheField(String path, String body, String named) {
        String runId = newRun();

        HttpResponse response = post(path, body.replace("RUN", runId));

        assertThat(response.status()).as(response.bodyAsString()).isBetween(400, 404);
        assertThat(json(response).has("error_code")).isTrue();
        assertThat(json(response).get("message").asText()).contains(named);
    }

    @Test
    void apply_malformedJson_invalidParameterValueAsMlflow() {
        assertError(post("/runs/create", "{\"experiment_id\": "), 400, "INVALID_PARAMETER_VALUE", "not valid JSON");
        assertError(post("/runs/create", "[1,2]"), 400, "INVALID_PARAMETER_VALUE", "JSON object");
    }

    @Test
    void apply_unknownIds_notFound() {
        assertError(get("/runs/get", "run_id=0123456789abcdef0123456789abcdef"), 404, "RESOURCE_DOES_NOT_EXIST",
                "0123456789abcdef0123456789abcdef");
        assertError(get("/experiments/get", "experiment_id=424242"), 404, "RESOURCE_DOES_NOT_EXIST", "424242");
    }

    @Test
    void logBatch_overLimit_rejectedAndNothingWritten() {
        String runId = newRun();
        String metrics = IntStream.range(0, 1001)
                .mapToObj(i -> "{\"key\":\"m\",\"value\":" + i + ",\"timestamp\":1,\"step\":" + i + "}")
                .collect(Collectors.joining(","));
        String params = IntStream.range(0, 101).mapToObj(i -> "{\"key\":\"p" + i + "\",\"value\":\"v\"}")
                .collect(Collectors.joining(","));

        assertError(post("/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}"), 400,
                "INVALID_PARAMETER_VALUE", "1000");
        assertError(post("/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"params\":[" + params + "]}"), 400,
                "INVALID_PARAMETER_VALUE", "100");

        assertThat(json(get("/metrics/get-history", "run_id=" + runId + "&metric_key=m")).has("metrics")).isFalse();
        assertThat(json(get("/runs/get", "run_id=" + runId)).at("/run/data").has("params")).isFalse();
    }

    @Test
    void logBatch_oneBadMetricAmongGood_nothingWritten() {
        String runId = newRun();

        HttpResponse response = post("/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":["
                + "{\"key\":\"good\",\"value\":1,\"timestamp\":1},{\"key\":\"bad!\",\"value\":1,\"timestamp\":1}],"
                + "\"params\":[{\"key\":\"p\",\"value\":\"v\"}]}");

        assertError(response, 400, "INVALID_PARAMETER_VALUE", "bad!");
        assertThat(json(get("/runs/get", "run_id=" + runId)).at("/run/data").has("metrics")).isFalse();
        assertThat(json(get("/runs/get", "run_id=" + runId)).at("/run/data").has("params")).isFalse();
    }

    @Test
    void logMetric_nonFiniteValues_nanRoundTripsAndInfinitiesAreTheLargestDoubles() {
        String runId = newRun();

        post("/runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"a\",\"value\":\"NaN\",\"timestamp\":1}");
        post("/runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"b\",\"value\":\"-Infinity\",\"timestamp\":1}");
        post("/runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"c\",\"value\":Infinity,\"timestamp\":1}");

        JsonNode metrics = json(get("/runs/get", "run_id=" + runId)).at("/run/data/metrics");
        assertThat(metrics.toString()).contains("\"key\":\"a\",\"value\":\"NaN\"")
                .contains("\"key\":\"b\",\"value\":-1.7976931348623157E308")
                .contains("\"key\":\"c\",\"value\":1.7976931348623157E308");
    }

    @Test
    void createRun_withoutName_generatesNameAndRunNameTag() {
        JsonNode run = json(post("/runs/create", "{\"experiment_id\":\"" + experimentId + "\"}")).get("run");

        String name = run.at("/info/run_name").asText();
        assertThat(name).matches("[a-z]+-[a-z]+-\\d+");
        assertThat(run.at("/data/tags").toString()).contains("{\"key\":\"mlflow.runName\",\"value\":\"" + name + "\"}");
        assertThat(run.at("/info/artifact_uri").asText())
                .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + run.at("/info/run_id").asText() + "/artifacts");
        assertThat(run.get("info").has("end_time")).isFalse();
    }

    @Test
    void deleteExperiment_thenRestore_runsFollow() {
        String exp = json(post("/experiments/create", "{\"name\":\"soft-delete\"}")).get("experiment_id").asText();
        String runId = json(post("/runs/create", "{\"experiment_id\":\"" + exp + "\"}")).at("/run/info/run_id").asText();

        post("/experiments/delete", "{\"experiment_id\":\"" + exp + "\"}");

        assertThat(json(get("/runs/get", "run_id=" + runId)).at("/run/info/lifecycle_stage").asText()).isEqualTo("deleted");
        assertError(post("/runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"m\",\"value\":1,\"timestamp\":1}"),
                400, "INVALID_PARAMETER_VALUE", "active");

        post("/experiments/restore", "{\"experiment_id\":\"" + exp + "\"}");

        assertThat(json(get("/runs/get", "run_id=" + runId)).at("/run/info/lifecycle_stage").asText()).isEqualTo("active");
    }

    @Test
    void artifacts_pathTraversal_rejected() {
        for (String bad : new String[] {"1/../../etc/passwd", "1/./x", "1//x", "1\\x"}) {
            HttpResponse response = platform.function.apply(new HttpRequest("PUT",
                    "/api/2.0/mlflow-artifacts/artifacts/" + bad, Map.of(), Map.of(), new byte[] {1}, "test"));
            assertError(response, 400, "INVALID_PARAMETER_VALUE", "Invalid path");
        }
        HttpResponse listing = platform.function.apply(new HttpRequest("GET", "/api/2.0/mlflow-artifacts/artifacts",
                Map.of("path", java.util.List.of("../x")), Map.of(), null, "test"));
        assertError(listing, 400, "INVALID_PARAMETER_VALUE", "Invalid path");
    }

    @Test
    void getExperimentByName_default_alwaysExists() {
        JsonNode experiment = json(get("/experiments/get-by-name", "experiment_name=Default")).get("experiment");

        assertThat(experiment.get("experiment_id").asText()).isEqualTo("0");
        assertThat(experiment.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/0");
    }
}
