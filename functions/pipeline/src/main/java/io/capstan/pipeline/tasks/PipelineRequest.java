package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What starts a pipeline execution: the model to retrain, the dataset object, what triggered it, and optional
 * overrides of the training, validation and gate settings and the hyperparameters (the rest come from the model's
 * {@code capstan.pipeline.*} tags, then from Capstan's defaults).
 *
 * @param modelName       the registered model
 * @param datasetBucket   the dataset object's bucket
 * @param datasetKey      its key, e.g. {@code datasets/breast-cancer/2026-11-22.csv}
 * @param datasetVersion  its version id (or ETag where the store has no versions), empty when unknown
 * @param trigger         {@code upload}, {@code manual} or {@code drift}
 * @param settings        overrides, flattened: {@code training.platform}, {@code gate.threshold},
 *                        {@code validation.holdout_fraction}, {@code hyperparameters.epochs},
 *                        {@code tuning.space.learning_rate}, …
 */
public record PipelineRequest(String modelName, String datasetBucket, String datasetKey, String datasetVersion,
                              String trigger, Map<String, String> settings) {
    /** The request's sections of settings, each an object of strings, numbers or booleans. */
    private static final List<String> SECTIONS = List.of("training", "gate", "validation", "hyperparameters",
            "tuning");

    public PipelineRequest {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(datasetBucket, "datasetBucket");
        Objects.requireNonNull(datasetKey, "datasetKey");
        datasetVersion = datasetVersion == null ? "" : datasetVersion;
        trigger = trigger == null || trigger.isEmpty() ? "manual" : trigger;
        settings = Map.copyOf(settings);
    }

    /** The dataset as an {@code s3://} URI. */
    public String datasetUri() {
        return "s3://" + datasetBucket + "/" + datasetKey;
    }

    /**
     * Reads the execution input: {@code {"model_name", "dataset": {"bucket", "key", "version_id"} | "dataset_uri",
     * "trigger", "training": {...}, "gate": {...}, "validation": {...}, "hyperparameters": {...},
     * "tuning": {"strategy", ..., "space": {...}}}}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the field
     */
    public static PipelineRequest fromJson(JsonNode json) {
        String model = text(json, "model_name");
        String bucket;
        String key;
        String version = "";
        if (json.hasNonNull("dataset_uri")) {
            String uri = json.get("dataset_uri").asText();
            if (!uri.startsWith("s3://") || uri.indexOf('/', 5) < 0) {
                throw CapstanException.invalidParameter("'dataset_uri' must be s3://<bucket>/<key>, got '" + uri + "'");
            }
            bucket = uri.substring(5, uri.indexOf('/', 5));
            key = uri.substring(uri.indexOf('/', 5) + 1);
            if (bucket.isBlank()) {
                throw CapstanException.invalidParameter("'dataset_uri' names no bucket; give s3://<bucket>/<key>, got '"
                        + uri + "'");
            }
        } else if (json.path("dataset").isObject()) {
            bucket = text(json.get("dataset"), "bucket");
            key = text(json.get("dataset"), "key");
            version = json.get("dataset").path("version_id").asText("");
        } else {
            throw CapstanException.invalidParameter("Give the dataset as 'dataset_uri' (s3://<bucket>/<key>) or as"
                    + " 'dataset': {\"bucket\", \"key\"}.");
        }
        if (key.isEmpty() || key.endsWith("/")) {
            throw CapstanException.invalidParameter("The dataset key '" + key + "' names a folder; name the CSV file.");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            JsonNode node = json.path(section);
            if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
                throw CapstanException.invalidParameter("'" + section + "' must be an object.");
            }
            node.fields().forEachRemaining(e -> {
                if (section.equals("tuning") && e.getKey().equals("space")) {
                    space(e.getValue(), settings);
                    return;
                }
                if (e.getValue().isContainerNode()) {
                    throw CapstanException.invalidParameter("'" + section + "." + e.getKey() + "' must be a string,"
                            + " number or boolean.");
                }
                settings.put(section + "." + e.getKey(), e.getValue().asText());
            });
        }
        return new PipelineRequest(model, bucket, key, version, json.path("trigger").asText("manual"), settings);
    }

    /**
     * The search space, {@code "space": {"learning_rate": "loguniform(0.01, 1)", "epochs": [5, 10, 20]}}: a
     * dimension is the text of a range or a list of values, which becomes the list's text ({@code [5, 10, 20]}).
     */
    private static void space(JsonNode space, Map<String, String> settings) {
        if (!space.isObject()) {
            throw CapstanException.invalidParameter("'tuning.space' must be an object of hyperparameter to range or "
                    + "list.");
        }
        space.fields().forEachRemaining(e -> {
            String key = "tuning.space." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isArray()) {
                StringBuilder list = new StringBuilder("[");
                for (JsonNode item : value) {
                    if (item.isContainerNode() || item.isNull() || item.asText().contains(",")) {
                        throw CapstanException.invalidParameter("'" + key + "' lists strings, numbers or booleans "
                                + "without commas.");
                    }
                    list.append(list.length() > 1 ? ", " : "").append(item.asText());
                }
                settings.put(key, list.append(']').toString());
            } else if (value.isTextual()) {
                settings.put(key, value.asText());
            } else {
                throw CapstanException.invalidParameter("'" + key + "' must be a range such as \"uniform(0, 1)\" or a"
                        + " list of values.");
            }
        });
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw CapstanException.invalidParameter("Missing value for required parameter '" + field + "'.");
        }
        return node.asText();
    }
}
