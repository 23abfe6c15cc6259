package io.capstan.tracking.function;

import static io.capstan.tracking.function.MlflowCalls.API;
import static io.capstan.tracking.function.MlflowCalls.ARTIFACTS;
import static io.capstan.tracking.function.MlflowCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers where MLflow's own server does something a client can tell apart, found by driving MLflow's Python client
 * against a stock server and Capstan side by side (local/src/test/python/mlflow_compat): error codes, values the SQL
 * store cuts or changes, content types.
 */
class MlflowServerParityTest {
    private static TrackingTestPlatform platform;
    private static MlflowCalls mlflow;

    @BeforeAll
    static void start() throws Exception {
        platform = new TrackingTestPlatform();
        mlflow = new MlflowCalls(platform.function);
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void updateExperiment_toATakenName_isBadRequestAsTheSqlStoreAnswers() {
        String first = mlflow.newExperiment("parity-a-" + System.nanoTime());
        String taken = "parity-b-" + System.nanoTime();
        mlflow.newExperiment(taken);

        HttpResponse rename = mlflow.call("POST", API + "/experiments/update", "{\"experiment_id\":\"" + first
                + "\",\"new_name\":\"" + taken + "\"}");

        assertError(rename, 400, "BAD_REQUEST", "already exists");
    }

    @Test
    void restoreExperiment_active_isNotFoundAmongTheDeleted() {
        String id = mlflow.newExperiment("parity-active-" + System.nanoTime());

        HttpResponse restore = mlflow.call("POST", API + "/experiments/restore", "{\"experiment_id\":\"" + id + "\"}");

        assertError(restore, 404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + id);
    }

    @Test
    void logParameterAndSetTag_overTheLimit_areCutToIt() {
        String run = mlflow.newRun(mlflow.newExperiment("parity-long-" + System.nanoTime()));

        mlflow.ok("POST", API + "/runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"p\",\"value\":\""
                + "x".repeat(6001) + "\"}");
        mlflow.ok("POST", API + "/runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\",\"value\":\""
                + "y".repeat(9000) + "\"}");
        JsonNode data = mlflow.okGet(API + "/runs/get", "run_id=" + run).at("/run/data");

        assertThat(value(data.get("params"), "p")).hasSize(6000);
        assertThat(value(data.get("tags"), "t")).hasSize(8000);
    }

    @Test
    void logMetric_infinities_areStoredAsTheLargestDoublesAndNaNStaysNaN() {
        String run = mlflow.newRun(mlflow.newExperiment("parity-inf-" + System.nanoTime()));

        mlflow.ok("POST", API + "/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"up\",\"value\":\"Infinity\",\"timestamp\":1,\"step\":0},"
                + "{\"key\":\"down\",\"value\":\"-Infinity\",\"timestamp\":1,\"step\":0},"
                + "{\"key\":\"nan\",\"value\":\"NaN\",\"timestamp\":1,\"step\":0}]}");
        JsonNode history = mlflow.okGet(API + "/metrics/get-history", "run_id=" + run + "&metric_key=down");
        JsonNode metrics = mlflow.okGet(API + "/runs/get", "run_id=" + run).at("/run/data/metrics");

        assertThat(history.at("/metrics/0/value").asDouble()).isEqualTo(-Double.MAX_VALUE);
        assertThat(metricValue(metrics, "up").asDouble()).isEqualTo(Double.MAX_VALUE);
        assertThat(metricValue(metrics, "nan").asText()).isEqualTo("NaN");
    }

    @Test
    void getMetricHistory_unknownRun_isEmpty() {
        JsonNode history = mlflow.okGet(API + "/metrics/get-history", "run_id=0123456789abcdef0123456789abcdef"
                + "&metric_key=loss");

        assertThat(history.path("metrics").size()).isZero();
    }

    @Test
    void logBatch_sameParamTwiceEvenWithOneValue_isRefusedAndWritesNothing() {
        String run = mlflow.newRun(mlflow.newExperiment("parity-dup-" + System.nanoTime()));

        HttpResponse twice = mlflow.call("POST", API + "/runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":["
                + "{\"key\":\"lr\",\"value\":\"0.1\"},{\"key\":\"lr\",\"value\":\"0.1\"}]}");
        JsonNode data = mlflow.okGet(API + "/runs/get", "run_id=" + run).at("/run/data");

        assertError(twice, 400, "INVALID_PARAMETER_VALUE", "Duplicate parameter keys have been submitted: ['lr']");
        assertThat(data.has("params")).isFalse();
    }

    @Test
    void post_textPlainBody_isRefusedWhileJsonAndNoContentTypePass() {
        String name = "parity-ct-" + System.nanoTime();
        byte[] body = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpResponse plain = platform.function.apply(new HttpRequest("POST", API + "/experiments/create", Map.of(),
                Map.of("Content-Type", "text/plain"), body, "test"));
        HttpResponse json = platform.function.apply(new HttpRequest("POST", API + "/experiments/create", Map.of(),
                Map.of("Content-Type", "application/json; charset=utf-8"), body, "test"));

        assertError(plain, 400, "INVALID_PARAMETER_VALUE", "Content-Type must be one of ['application/json']");
        assertThat(json.status()).as(json.bodyAsString()).isEqualTo(200);
    }

    @Test
    void post_malformedJson_isInvalidParameterValue() {
        assertError(mlflow.call("POST", API + "/experiments/create", "{\"name\": "), 400, "INVALID_PARAMETER_VALUE",
                "not valid JSON");
        assertError(mlflow.call("POST", API + "/experiments/create", "[1]"), 400, "INVALID_PARAMETER_VALUE",
                "must be a JSON object");
    }

    @Test
    void artifacts_emptyFileListsWithoutASizeAndTextFilesAreTextPlain() {
        String exp = mlflow.newExperiment("parity-art-" + System.nanoTime());
        String root = exp + "/" + mlflow.newRun(exp) + "/artifacts";
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/" + root + "/empty.txt", new byte[0]));
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/" + root + "/MLmodel", "flavors: {}".getBytes(
                StandardCharsets.UTF_8)));

        JsonNode listing = mlflow.okGet(ARTIFACTS + "/artifacts", "path=" + root);
        HttpResponse mlModel = mlflow.get(ARTIFACTS + "/artifacts/" + root + "/MLmodel", "");

        assertThat(listing.toString()).isEqualTo("{\"files\":[{\"path\":\"MLmodel\",\"is_dir\":false,\"file_size\":11},"
                + "{\"path\":\"empty.txt\",\"is_dir\":false}]}");
        assertThat(mlModel.headers().get("Content-Type")).isEqualTo("text/plain");
        assertThat(ArtifactHandlers.contentType("a/b/metrics.json")).isEqualTo("text/plain");
        assertThat(ArtifactHandlers.contentType("a/b/model.onnx")).isEqualTo("application/octet-stream");
        assertThat(ArtifactHandlers.contentType("a/b/plot.png")).isEqualTo("image/png");
    }

    private static String value(JsonNode keyValues, String key) {
        for (JsonNode entry : keyValues) {
            if (entry.get("key").asText().equals(key)) {
                return entry.get("value").asText();
            }
        }
        throw new AssertionError("no " + key + " in " + keyValues);
    }

    private static JsonNode metricValue(JsonNode metrics, String key) {
        for (JsonNode metric : metrics) {
            if (metric.get("key").asText().equals(key)) {
                return metric.get("value");
            }
        }
        throw new AssertionError("no metric " + key + " in " + metrics);
    }
}
