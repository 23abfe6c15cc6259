package io.capstan.local.drift;

import io.capstan.drift.function.DriftFunction;
import io.capstan.drift.function.DriftServices;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.DriftCheckOutcome;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.monitoring.DriftRetraining;
import io.capstan.drift.monitoring.DriftSchedule;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.local.LocalEngines;
import io.capstan.local.internal.LocalSchedule;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.DriftSummary;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.storage.BucketDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Drift checks on one machine: the drift API, and the schedule EventBridge runs in AWS, here a timer that checks
 * every model with a champion ({@value #SCHEDULE_PROPERTY} seconds apart, hourly by default). Metrics go to the log;
 * drift-triggered retraining starts on the local pipeline engine. Reports are files under the data directory, and
 * each check's log line says where.
 *
 * @param monitor  runs checks
 * @param function the drift API
 */
public record LocalDriftWiring(DriftMonitor monitor, DriftFunction function, LocalEngines engines,
                               ScheduledExecutorService scheduler, Consumer<String> log) implements AutoCloseable {
    /** {@code capstan.drift.scheduleSeconds}: seconds between scheduled checks (default 3600, like the AWS rule). */
    public static final String SCHEDULE_PROPERTY = "capstan.drift.scheduleSeconds";
    public static final long DEFAULT_SCHEDULE_SECONDS = 3600;

    /**
     * Assembles the drift checks and starts the schedule.
     *
     * @param pipeline the local pipeline engine drift-triggered retraining starts on; empty when it cannot run here
     */
    public static LocalDriftWiring create(LocalEngines engines, Optional<LocalPipelineEngine> pipeline,
                                          Consumer<String> log, Clock clock) {
        RetrainingStarter retraining = RetrainingStarter.of(DriftRetraining.TRIGGER, (model, name, input) -> pipeline
                .orElseThrow(() -> new IllegalStateException("the retraining pipeline cannot run on this platform"))
                .start(model, name, input, DriftRetraining.TRIGGER));
        DriftMetrics metrics = summary -> log.accept("metric " + DriftMetrics.NAMESPACE + " "
                + DriftMetrics.MODEL_DIMENSION + "=" + summary.modelName() + " " + DriftMetrics.DATASET_DRIFT + "="
                + (summary.datasetDrift() ? 1 : 0) + " " + DriftMetrics.DRIFTED_SHARE + "=" + summary.driftedShare());
        DriftServices drift = DriftServices.create(engines.dynamoDbClient(), engines.tableName(), engines.s3Client(),
                new DriftBuckets(engines.bucketName(BucketDefinition.ARTIFACTS),
                        engines.bucketName(BucketDefinition.CAPTURE), engines.bucketName(BucketDefinition.DATASETS)),
                retraining, metrics, clock);
        ScheduledExecutorService scheduler = LocalSchedule.executor("capstan-drift-schedule");
        LocalDriftWiring wiring = new LocalDriftWiring(drift.monitor(), drift.function(), engines, scheduler, log);
        LocalSchedule.every(scheduler, SCHEDULE_PROPERTY, DEFAULT_SCHEDULE_SECONDS, wiring::runSchedule, log,
                "Drift checks of every champion");
        return wiring;
    }

    /** One run of the schedule: every model with a champion, as the AWS rule's {@code "model": "*"}. */
    public List<DriftCheckOutcome> runSchedule() {
        try {
            List<DriftCheckOutcome> outcomes = new DriftSchedule(DriftSchedule.ALL_MODELS).run(monitor);
            outcomes.forEach(this::logOutcome);
            return outcomes;
        } catch (RuntimeException e) {
            log.accept("Scheduled drift checks failed: " + e);
            return List.of();
        }
    }

    /** The file of a report the platform wrote ({@code s3://capstan-capture/reports/...}). */
    public Path reportFile(String uri) {
        ObjectLocation location = ObjectLocation.parse(uri, "report");
        return engines.objectFile(location.bucket(), location.key());
    }

    private void logOutcome(DriftCheckOutcome outcome) {
        if (outcome instanceof DriftCheckOutcome.Checked checked) {
            DriftSummary s = checked.summary();
            log.accept("Drift check of " + s.modelName() + " v" + s.version() + ": "
                    + (s.datasetDrift() ? "DATASET DRIFT" : "no dataset drift") + " (" + Math.round(s.driftedShare()
                    * 100) + "% of features drifted, " + s.currentRows() + " rows); report "
                    + reportFile(s.htmlUri()).toUri() + "; " + s.decision());
        } else if (outcome instanceof DriftCheckOutcome.Skipped skipped) {
            log.accept("Drift check of " + skipped.modelName() + " skipped: " + skipped.reason());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
