package io.capstan.pipeline.tasks;

import io.capstan.error.CapstanException;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.ViewType;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How the pipeline records itself on tracking runs: one run per execution, in an experiment named after the model. */
final class RunRecorder {
    static final String EXECUTION_TAG = "capstan.pipeline.execution";
    static final String FAILURE_TAG = "capstan.failure";
    static final String OUTCOME_TAG = "capstan.outcome";

    private final TrackingService tracking;
    private final Clock clock;

    RunRecorder(TrackingService tracking, Clock clock) {
        this.tracking = tracking;
        this.clock = clock;
    }

    Run start(String modelName, String execution, String trigger) {
        String experimentId = tracking.searchExperiments(ViewType.ACTIVE_ONLY, "name = '"
                        + modelName.replace("'", "\\'") + "'", List.of(), 1, null).items().stream()
                .map(Experiment::experimentId).findFirst().orElseGet(() -> createExperiment(modelName));
        Map<String, String> tags = new HashMap<>();
        tags.put(EXECUTION_TAG, execution);
        tags.put("capstan.trigger", trigger);
        tags.put("mlflow.source.name", "capstan-pipeline");
        return tracking.createRun(experimentId, "pipeline", "retrain-" + execution, null, tags);
    }

    void tags(String runId, Map<String, String> tags) {
        tracking.logBatch(runId, List.of(), List.of(), List.copyOf(tags.entrySet()));
    }

    void params(String runId, Map<String, String> params) {
        var entries = List.copyOf(params.entrySet());
        for (int from = 0; from < entries.size(); from += 100) {
            tracking.logBatch(runId, List.of(), entries.subList(from, Math.min(from + 100, entries.size())), List.of());
        }
    }

    void metrics(String runId, Map<String, Double> values) {
        long now = clock.millis();
        tracking.logBatch(runId, values.entrySet().stream().map(e -> new Metric(e.getKey(), e.getValue(), now, 0))
                .toList(), List.of(), List.of());
    }

    /** The active run of the experiment with the tag's value, if there is one. */
    Optional<Run> findByTag(String experimentId, String tag, String value) {
        return tracking.searchRuns(List.of(experimentId), "tags.`" + tag + "` = '" + value.replace("'", "\\'") + "'",
                ViewType.ACTIVE_ONLY, 1, List.of(), null).items().stream().findFirst();
    }

    void finish(String runId, String outcome) {
        tags(runId, Map.of(OUTCOME_TAG, outcome));
        tracking.updateRun(runId, RunStatus.FINISHED, clock.millis(), null);
    }

    /** Marks the run FAILED with the cause; a failure to do so never hides the original one. */
    void fail(String runId, String cause) {
        if (runId == null || runId.isEmpty()) {
            return;
        }
        try {
            tags(runId, Map.of(FAILURE_TAG, cause.length() > 5000 ? cause.substring(0, 5000) : cause,
                    OUTCOME_TAG, "failed"));
            tracking.updateRun(runId, RunStatus.FAILED, clock.millis(), null);
        } catch (CapstanException e) {
            // the run is gone or deleted: the execution history still has the cause
        }
    }

    private String createExperiment(String modelName) {
        try {
            return tracking.createExperiment(modelName, null, Map.of("capstan.model", modelName));
        } catch (CapstanException e) {
            return tracking.getExperimentByName(modelName).experimentId();
        }
    }
}
