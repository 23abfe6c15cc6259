package io.capstan.tracking.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/** MLflow REST calls against a function, as a client sends them, and reading their answers. */
final class MlflowCalls {
    static final String API = "/api/2.0/mlflow";
    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<HttpRequest, HttpResponse> function;

    MlflowCalls(Function<HttpRequest, HttpResponse> function) {
        this.function = function;
    }

    HttpResponse call(String method, String path, String body) {
        return function.apply(new HttpRequest(method, path, Map.of(), Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "test"));
    }

    HttpResponse get(String path, String query) {
        return function.apply(new HttpRequest("GET", path, QueryString.parse(query), Map.of(), null, "test"));
    }

    HttpResponse put(String path, byte[] content) {
        return function.apply(new HttpRequest("PUT", path, Map.of(), Map.of(), content, "test"));
    }

    /** The JSON answer of a call that must succeed. */
    JsonNode ok(String method, String path, String body) {
        return ok(call(method, path, body));
    }

    JsonNode okGet(String path, String query) {
        return ok(get(path, query));
    }

    static JsonNode ok(HttpResponse response) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return json(response);
    }

    static JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.bodyAsString(), e);
        }
    }

    static void assertError(HttpResponse response, int status, String code, String messagePart) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("error_code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).contains(messagePart);
    }

    String newExperiment(String name) {
        return ok("POST", API + "/experiments/create", "{\"name\":\"" + name + "\"}").get("experiment_id").asText();
    }

    String newRun(String experimentId) {
        return ok("POST", API + "/runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"start_time\":1}")
                .at("/run/info/run_id").asText();
    }
}
