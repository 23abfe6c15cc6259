package io.capstan.local.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;

/** MLflow's REST API on a running platform, as MLflow's clients call it, for tests that drive it over HTTP. */
public final class MlflowRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    public MlflowRest(URI base) {
        this.base = base;
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build(), BodyHandlers.ofString());
    }

    /**
     * A run in the default experiment with {@code files} uploaded under {@code folder} of its artifacts, as MLflow
     * 2.12's client uploads them (through the artifact proxy).
     *
     * @return the run as {@code runs/create} answered it ({@code /run/info/run_id}, {@code /run/info/artifact_uri})
     */
    public JsonNode runWithArtifacts(String folder, Map<String, byte[]> files) throws Exception {
        JsonNode run = JSON.readTree(ok(post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"0\"}")).body());
        String root = run.at("/run/info/artifact_uri").asText().substring("mlflow-artifacts:/".length());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            ok(http.send(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow-artifacts/artifacts/" + root + "/"
                    + folder + "/" + file.getKey())).PUT(BodyPublishers.ofByteArray(file.getValue())).build(),
                    BodyHandlers.ofString()));
        }
        return run;
    }

    /** {@code response}, once it is known to be a 200 (the body is shown otherwise). */
    public static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
