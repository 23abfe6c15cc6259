package io.capstan.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/**
 * Records a local training as an MLflow run through MLflow's official Java client: params (the hyperparameters as
 * used), per-epoch and final metrics, the dataset with its digest, tags, and the model files as artifacts. The Java
 * client's artifact methods shell out to the Python {@code mlflow} CLI, so artifacts go over MLflow's proxied
 * artifact REST API instead, as MLflow's Python client sends them.
 */
final class MlflowRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The trainer's files uploaded, each with its path in the run's artifacts: the registry reads {@code model/}. */
    private static final Map<String, String> ARTIFACTS = orderedMap("model.onnx", "model/model.onnx",
            "model-card.json", "model/model-card.json", "profile.json", "model/profile.json",
            "metrics.json", "metrics.json", "validation-predictions.csv", "validation-predictions.csv");

    private final URI server;
    private final MlflowClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    MlflowRecorder(URI server, MlflowClient client) {
        this.server = server;
        this.client = client;
    }

    /**
     * The experiment's id, creating it when missing. Looked up by search: the Java client retries the 404 that
     * get-by-name answers for a missing experiment, and logs each retry as a warning.
     */
    String experiment(String name) {
        return client.searchExperiments("name = '" + name.replace("'", "\\'") + "'").getItems().stream()
                .map(e -> e.getExperimentId()).findFirst().orElseGet(() -> client.createExperiment(name));
    }

    /** Creates a finished run for {@code training}; returns its id. */
    String record(String experimentId, String runName, TrainingRecord training, String datasetName, String datasetSource,
                  Map<String, String> tags, DemoConsole console) throws IOException, InterruptedException {
        CreateRun.Builder create = CreateRun.newBuilder().setExperimentId(experimentId).setRunName(runName)
                .setStartTime(System.currentTimeMillis());
        tags.forEach((k, v) -> create.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
        String runId = client.createRun(create.build()).getRunId();

        List<Param> params = new ArrayList<>();
        training.metrics().get("hyperparameters").fields().forEachRemaining(e -> params.add(Param.newBuilder()
                .setKey(e.getKey()).setValue(e.getValue().isArray() ? join(e.getValue()) : e.getValue().asText())
                .build()));
        List<Metric> metrics = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (JsonNode epoch : training.metrics().at("/history/epochs")) {
            long step = epoch.get("epoch").asLong();
            epoch.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("epoch")) {
                    metrics.add(metric(e.getKey(), e.getValue().asDouble(), now, step));
                }
            });
        }
        long lastEpoch = training.metrics().at("/hyperparameters/epochs").asLong(0);
        training.metrics().get("final").fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                metrics.add(metric(e.getKey(), e.getValue().asDouble(), now + 1, lastEpoch));
            }
        });
        client.logBatch(runId, metrics, params, List.of());
        console.detail("logged %d params and %d metric points (%d epochs) in one log-batch", params.size(),
                metrics.size(), training.metrics().at("/history/epochs").size());

        logDataset(runId, training, datasetName, datasetSource);
        console.detail("logged dataset %s, digest %s…", datasetName, training.datasetSha256().substring(0, 12));

        String root = client.getRun(runId).getInfo().getArtifactUri().substring("mlflow-artifacts:/".length());
        for (Map.Entry<String, String> artifact : ARTIFACTS.entrySet()) {
            byte[] bytes = training.file(artifact.getKey());
            String path = artifact.getValue();
            put(root + "/" + path, bytes);
            console.detail("uploaded %s (%,d bytes)", path, bytes.length);
        }
        client.setTerminated(runId, RunStatus.FINISHED, System.currentTimeMillis());
        return runId;
    }

    private void logDataset(String runId, TrainingRecord training, String name, String source) {
        ObjectNode request = JSON.createObjectNode().put("run_id", runId);
        ObjectNode dataset = request.putArray("datasets").addObject().putObject("dataset")
                .put("name", name).put("digest", training.datasetSha256()).put("source_type", "local")
                .put("source", JSON.createObjectNode().put("uri", source).toString())
                .put("profile", JSON.createObjectNode().put("num_rows",
                        training.metrics().at("/dataset/rows/train_channel").asLong()).toString());
        dataset.put("schema", JSON.createObjectNode().set("columns", training.metrics().at("/dataset/feature_columns"))
                .toString());
        client.sendPost("runs/log-inputs", request.toString());
    }

    private void put(String path, byte[] bytes) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(server.resolve("/api/2.0/mlflow-artifacts/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Uploading " + path + " failed: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    private static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            values.add(it.next().asText());
        }
        return String.join(",", values);
    }
}
