package io.capstan.local.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a running platform holds, read through its REST API as a client would, as one JSON document: every experiment,
 * every run (active and deleted) with its status, params, tags and the number of points in each metric's history, and
 * every registered model's aliases, versions and audit trail length. {@code UpgradeFromMainTest} compares a data
 * directory written by an earlier main branch, opened by today's platform, with what that branch's platform answered
 * ({@code main} here writes it: {@code PlatformState URL FILE}).
 */
public final class PlatformState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    public PlatformState(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(args[1]), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                new PlatformState(URI.create(args[0])).read()));
    }

    /** The state, read now. */
    public ObjectNode read() throws IOException, InterruptedException {
        ObjectNode state = JSON.createObjectNode();
        ObjectNode experiments = state.putObject("experiments");
        ObjectNode runs = state.putObject("runs");
        for (JsonNode experiment : pages("POST", "/api/2.0/mlflow/experiments/search", "experiments",
                Map.of("max_results", 1000, "view_type", "ALL"))) {
            String experimentId = experiment.path("experiment_id").asText();
            experiments.putObject(experimentId).put("name", experiment.path("name").asText())
                    .put("lifecycle_stage", experiment.path("lifecycle_stage").asText());
            for (JsonNode run : pages("POST", "/api/2.0/mlflow/runs/search", "runs", Map.of("experiment_ids",
                    List.of(experimentId), "max_results", 1000, "run_view_type", "ALL"))) {
                JsonNode info = run.path("info");
                String runId = info.path("run_id").asText();
                ObjectNode out = runs.putObject(runId);
                out.put("experiment_id", experimentId).put("run_name", info.path("run_name").asText())
                        .put("status", info.path("status").asText())
                        .put("lifecycle_stage", info.path("lifecycle_stage").asText())
                        .put("start_time", info.path("start_time").asLong());
                ObjectNode params = out.putObject("params");
                run.path("data").path("params").forEach(p -> params.put(p.path("key").asText(),
                        p.path("value").asText()));
                ObjectNode tags = out.putObject("tags");
                run.path("data").path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
                ObjectNode points = out.putObject("metric_points");
                for (JsonNode metric : run.path("data").path("metrics")) {
                    String key = metric.path("key").asText();
                    points.put(key, pages("GET", "/api/2.0/mlflow/metrics/get-history?run_id=" + runId
                            + "&metric_key=" + encode(key) + "&max_results=25000", "metrics", null).size());
                }
            }
        }
        ObjectNode models = state.putObject("models");
        for (JsonNode model : pages("GET", "/api/2.0/mlflow/registered-models/search?max_results=1000",
                "registered_models", null)) {
            String name = model.path("name").asText();
            ObjectNode out = models.putObject(name);
            ObjectNode aliases = out.putObject("aliases");
            model.path("aliases").forEach(a -> aliases.put(a.path("alias").asText(), a.path("version").asText()));
            ObjectNode versions = out.putObject("versions");
            for (JsonNode version : pages("GET", "/api/2.0/mlflow/model-versions/search?max_results=1000&filter="
                    + encode("name='" + name.replace("'", "\\'") + "'"), "model_versions", null)) {
                versions.putObject(version.path("version").asText())
                        .put("status", version.path("status").asText())
                        .put("current_stage", version.path("current_stage").asText())
                        .put("run_id", version.path("run_id").asText())
                        .put("source", version.path("source").asText());
            }
            out.put("audit_events", call("GET", "/api/2.0/capstan/registry/audit?name=" + encode(name), null)
                    .path("events").size());
        }
        return state;
    }

    private List<JsonNode> pages(String method, String path, String key, Map<String, Object> body)
            throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String token = null;
        do {
            JsonNode answer;
            if (body != null) {
                Map<String, Object> page = new HashMap<>(body);
                if (token != null) {
                    page.put("page_token", token);
                }
                answer = call(method, path, page);
            } else {
                answer = call(method, path + (token == null ? "" : "&page_token=" + encode(token)), null);
            }
            answer.path(key).forEach(all::add);
            token = answer.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        return all;
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
