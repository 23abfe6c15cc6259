package io.capstan.tracking;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model logged to an experiment, as MLflow 3's {@code LoggedModel}: its files live under its own
 * {@code artifactLocation} (for proxied artifacts {@code mlflow-artifacts:/<experiment>/models/<model id>/artifacts}),
 * it is addressed as {@code models:/<model id>}, and a run links to it through its outputs. A soft-deleted model
 * keeps its data; {@link TrackingService#getLoggedModel(String)} no longer finds it.
 *
 * @param modelId              {@code m-} followed by 32 lower-case hex characters
 * @param experimentId         the experiment the model belongs to
 * @param name                 the model's name (not unique; {@code runs:/<run>/<name>} resolves by it)
 * @param artifactLocation     URI of the folder holding the model's files
 * @param creationTimestamp    epoch milliseconds
 * @param lastUpdatedTimestamp epoch milliseconds
 * @param status               upload status
 * @param lifecycleStage       active or soft-deleted
 * @param modelType            free-form type such as {@code agent}; empty when none was given (as MLflow answers)
 * @param sourceRunId          the run that produced the model; empty when none was given (as MLflow answers)
 * @param tags                 mutable tags
 * @param params               params, immutable once logged
 * @param metrics              every point logged with this model's id, in logging order; empty when a store lists
 *                             models without their metrics
 */
public record LoggedModel(String modelId, String experimentId, String name, String artifactLocation,
                          long creationTimestamp, long lastUpdatedTimestamp, LoggedModelStatus status,
                          LifecycleStage lifecycleStage, String modelType, String sourceRunId,
                          Map<String, String> tags, Map<String, String> params, List<ModelMetric> metrics) {

    /** What MLflow's SQL store generates: {@code m-} and a UUID's 32 hex digits. */
    public static final Pattern ID = Pattern.compile("m-[0-9a-f]{32}");

    public LoggedModel {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(artifactLocation, "artifactLocation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lifecycleStage, "lifecycleStage");
        modelType = modelType == null ? "" : modelType;
        sourceRunId = sourceRunId == null ? "" : sourceRunId;
        tags = Map.copyOf(tags);
        params = Map.copyOf(params);
        metrics = List.copyOf(metrics);
    }

    public boolean isDeleted() {
        return lifecycleStage == LifecycleStage.DELETED;
    }

    /** This model with another status, updated at {@code now}. */
    public LoggedModel withStatus(LoggedModelStatus newStatus, long now) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimestamp, now, newStatus,
                lifecycleStage, modelType, sourceRunId, tags, params, metrics);
    }

    /** This model soft-deleted (or restored), updated at {@code now}. */
    public LoggedModel withLifecycleStage(LifecycleStage stage, long now) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimestamp, now, status,
                stage, modelType, sourceRunId, tags, params, metrics);
    }

    /** This model with other tags and params; the update time stays (MLflow does not touch it for these). */
    public LoggedModel withTagsAndParams(Map<String, String> newTags, Map<String, String> newParams) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimestamp,
                lastUpdatedTimestamp, status, lifecycleStage, modelType, sourceRunId, newTags, newParams, metrics);
    }

    /** This model with its metrics, as read from where a store keeps them. */
    public LoggedModel withMetrics(List<ModelMetric> newMetrics) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimestamp,
                lastUpdatedTimestamp, status, lifecycleStage, modelType, sourceRunId, tags, params, newMetrics);
    }
}
