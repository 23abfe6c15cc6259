package io.capstan.tracking;

import java.util.Objects;

/**
 * A run's metadata.
 *
 * @param runId          32 lower-case hex characters
 * @param experimentId   the experiment the run belongs to
 * @param runName        display name (also the {@code mlflow.runName} tag)
 * @param userId         the user the client reported, may be empty
 * @param status         run status
 * @param startTime      epoch milliseconds
 * @param endTime        epoch milliseconds, null while the run has not ended
 * @param artifactUri    root URI of the run's artifacts
 * @param lifecycleStage active or soft-deleted
 */
public record RunInfo(String runId, String experimentId, String runName, String userId, RunStatus status,
                      long startTime, Long endTime, String artifactUri, LifecycleStage lifecycleStage) {
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(runName, "runName");
        userId = userId == null ? "" : userId;
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(artifactUri, "artifactUri");
        Objects.requireNonNull(lifecycleStage, "lifecycleStage");
    }

    public RunInfo withStatus(RunStatus newStatus, Long newEndTime, String newRunName) {
        return new RunInfo(runId, experimentId, newRunName, userId, newStatus, startTime, newEndTime, artifactUri,
                lifecycleStage);
    }

    public RunInfo withLifecycleStage(LifecycleStage stage) {
        return new RunInfo(runId, experimentId, runName, userId, status, startTime, endTime, artifactUri, stage);
    }
}
