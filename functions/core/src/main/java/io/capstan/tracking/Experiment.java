package io.capstan.tracking;

import java.util.Map;
import java.util.Objects;

/**
 * An MLflow experiment.
 *
 * @param experimentId     numeric id as a string; {@code "0"} is the Default experiment
 * @param name             unique name
 * @param artifactLocation root URI of the experiment's artifacts
 * @param lifecycleStage   active or soft-deleted
 * @param creationTime     epoch milliseconds
 * @param lastUpdateTime   epoch milliseconds
 * @param tags             experiment tags
 */
public record Experiment(String experimentId, String name, String artifactLocation, LifecycleStage lifecycleStage,
                         long creationTime, long lastUpdateTime, Map<String, String> tags) {
    public Experiment {
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(artifactLocation, "artifactLocation");
        Objects.requireNonNull(lifecycleStage, "lifecycleStage");
        tags = Map.copyOf(tags);
    }
}
