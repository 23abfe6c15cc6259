package io.capstan.local.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.local.LocalPlatform;
import io.capstan.storage.BucketDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What the fuzzed requests aim at, made through the API as a client makes it: experiment {@code fuzz} with one run
 * (a param, a metric, a tag, an artifact), registered model {@code fuzz-model} with version 1 READY and champion, an
 * MLflow 3 logged model, an experiment and a model only renames aim at, and CSV files in the datasets bucket for drift
 * checks (good ones and bad ones).
 */
final class FuzzFixtures {
    static final String API = "/api/2.0/mlflow";
    static final String MODEL = "fuzz-model";
    /** Datasets a drift check may name that are not data sets a check can read. */
    static final Map<String, String> BAD_DATASETS = Map.of(
            "empty.csv", "",
            "header-only.csv", "x,y,color\n",
            "text.csv", "x,y,color\nred,blue,green\nup,down,left\n",
            "one-column.csv", "z\n1\n2\n",
            "binary.bin", "\u0000\u0001\u00ff\ufffe PK\u0003\u0004 not a csv");

    final Map<String, String> placeholders = new LinkedHashMap<>();
    final String datasets;

    private FuzzFixtures(String datasets) {
        this.datasets = datasets;
    }

    static FuzzFixtures create(LocalPlatform platform, RawHttp http) {
        FuzzFixtures f = new FuzzFixtures(platform.engines().bucketName(BucketDefinition.DATASETS));
        String exp = ok(http, "POST", API + "/experiments/create", "{\"name\": \"fuzz\"}").path("experiment_id").asText();
        String renameExp = ok(http, "POST", API + "/experiments/create", "{\"name\": \"fuzz-rename-src\"}")
                .path("experiment_id").asText();
        String run = ok(http, "POST", API + "/runs/create", "{\"experiment_id\": \"" + exp + "\"}")
                .at("/run/info/run_id").asText();
        ok(http, "POST", API + "/runs/log-batch", "{\"run_id\": \"" + run + "\", \"params\": [{\"key\": \"p\", \"value\":"
                + " \"x\"}], \"metrics\": [{\"key\": \"m\", \"value\": 1, \"timestamp\": 1, \"step\": 0}], \"tags\":"
                + " [{\"key\": \"t\", \"value\": \"v\"}]}");
        check(http.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/model.txt",
                "application/octet-stream", "not a model".getBytes(StandardCharsets.UTF_8)));
        ok(http, "POST", API + "/registered-models/create", "{\"name\": \"" + MODEL + "\"}");
        ok(http, "POST", API + "/registered-models/create", "{\"name\": \"fuzz-rename-model\"}");
        JsonNode version = ok(http, "POST", API + "/model-versions/create", "{\"name\": \"" + MODEL + "\", \"source\":"
                + " \"mlflow-artifacts:/" + exp + "/" + run + "/artifacts/model\", \"run_id\": \"" + run + "\"}");
        if (!version.at("/model_version/status").asText().equals("READY")) {
            throw new IllegalStateException("fixture version not READY: " + version);
        }
        ok(http, "POST", API + "/registered-models/alias", "{\"name\": \"" + MODEL + "\", \"alias\": \"champion\","
                + " \"version\": \"1\"}");
        String loggedModel = ok(http, "POST", API + "/logged-models", "{\"experiment_id\": \"" + exp + "\", \"name\":"
                + " \"fuzzlm\"}").at("/model/info/model_id").asText();
        if (!loggedModel.startsWith("m-")) {
            throw new IllegalStateException("fixture logged model has no id: " + loggedModel);
        }
        f.uploadDatasets(platform);
        f.placeholders.putAll(Map.of("exp", exp, "renameExp", renameExp, "run", run, "model", MODEL, "lm", loggedModel,
                "renameModel", "fuzz-rename-model", "datasets", f.datasets, "n", FuzzRun.SEQUENCE));
        return f;
    }

    private void uploadDatasets(LocalPlatform platform) {
        Random random = new Random(7);
        StringBuilder current = new StringBuilder("x,y,color\n");
        StringBuilder reference = new StringBuilder("x,y,color\n");
        for (int i = 0; i < 60; i++) {
            current.append(random.nextGaussian()).append(',').append(random.nextGaussian() + 3).append(',')
                    .append(i % 3 == 0 ? "red" : "blue").append('\n');
            reference.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append(',')
                    .append(i % 2 == 0 ? "red" : "blue").append('\n');
        }
        put(platform, "datasets/fuzz/current.csv", current.toString());
        put(platform, "datasets/fuzz/reference.csv", reference.toString());
        BAD_DATASETS.forEach((name, content) -> put(platform, "datasets/fuzz/" + name, content));
    }

    private void put(LocalPlatform platform, String key, String content) {
        platform.engines().s3Client().putObject(b -> b.bucket(datasets).key(key),
                RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    static JsonNode ok(RawHttp http, String method, String target, String json) {
        return check(http.send(method, target, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode check(RawHttp.Answer answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException("fixture call failed: " + answer.status() + " " + answer.text()
                    + (answer.failure() == null ? "" : answer.failure()));
        }
        try {
            return RequestShape.JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
