package io.capstan.local.drift;

import io.capstan.drift.distributed.DistributedChecks;
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
import io.capstan.local.pipeline.ItemReaders;
import io.capstan.local.pipeline.LocalFunctionTasks;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.local.pipeline.LocalWorkflows;
import io.capstan.local.pipeline.StateMachineRunner;
import io.capstan.local.pipeline.TaskEndpoint;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.DriftSummary;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.storage.BucketDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Drift checks on one machine: the drift API, and the schedule EventBridge runs in AWS, here a timer that checks
 * every model with a champion ({@value #SCHEDULE_PROPERTY} seconds apart, hourly by default). Metrics go to the log;
 * drift-triggered retraining starts on the local pipeline engine. Reports are files under the data directory, and
 * each check's log line says where.
 *
 * <p>A dataset larger than {@value #IN_PROCESS_UP_TO_BYTES_PROPERTY} bytes (256 MiB unless set), or named by a
 * prefix, is checked on {@code step-functions/profile-dataset.asl.json} under the local interpreter, its chunks
 * ({@value #CHUNK_BYTES_PROPERTY} bytes, 64 MiB unless set) profiled by the same code as the drift function's.
 *
 * @param monitor      runs checks
 * @param function     the drift API
 * @param profiles     runs distributed checks; empty when the state machine runner is not installed
 * @param profileTasks their task endpoint
 */
public record LocalDriftWiring(DriftMonitor monitor, DriftFunction function, LocalEngines engines,
                               ScheduledExecutorService scheduler, Optional<LocalWorkflows> profiles,
                               Optional<LocalFunctionTasks> profileTasks, Consumer<String> log)
        implements AutoCloseable {
    /** Where the runner posts the profile state machine's tasks: {@code <TASKS_PATH><state>}. */
    public static final String TASKS_PATH = "/_local/drift/tasks/";
    /** {@code capstan.drift.inProcessUpToBytes}: the largest dataset checked in process. */
    public static final String IN_PROCESS_UP_TO_BYTES_PROPERTY = "capstan.drift.inProcessUpToBytes";
    /** {@code capstan.drift.chunkBytes}: the bytes of CSV one chunk of a distributed check profiles. */
    public static final String CHUNK_BYTES_PROPERTY = "capstan.drift.chunkBytes";
    /** The log's lines of a distributed check: each chunk profiled, each failed attempt, the report. */
    static final LocalWorkflows.Progress PROGRESS = new LocalWorkflows.Progress("drift", Map.of("ProfileChunk",
            "chunk profiled"), Set.of("ProfileChunk"), output -> "report " + output.path("report_id").asText("?")
            + ", " + output.path("current_rows").asText("?") + " rows, dataset drift "
            + output.path("dataset_drift").asText("?"));
    /** Local stand-in for the drift function's ARN, valid so the interpreter's validation accepts it. */
    static final String LOCAL_FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:capstan-drift";
    /** {@code capstan.drift.scheduleSeconds}: seconds between scheduled checks (default 3600, like the AWS rule). */
    public static final String SCHEDULE_PROPERTY = "capstan.drift.scheduleSeconds";
    public static final long DEFAULT_SCHEDULE_SECONDS = 3600;

    /**
     * Assembles the drift checks and starts the schedule.
     *
     * @param pipeline the local pipeline engine drift-triggered retraining starts on; empty when it cannot run here
     * @param runner   the state machine runner; empty when it is not installed (no distributed checks)
     * @param endpoint the platform's own listener
     */
    public static LocalDriftWiring create(LocalEngines engines, Optional<LocalPipelineEngine> pipeline,
                                          Optional<StateMachineRunner> runner, TaskEndpoint endpoint,
                                          Consumer<String> log, Clock clock) {
        RetrainingStarter retraining = RetrainingStarter.of(DriftRetraining.TRIGGER, (model, name, input) -> pipeline
                .orElseThrow(() -> new IllegalStateException("the retraining pipeline cannot run on this platform"))
                .start(model, name, input, DriftRetraining.TRIGGER));
        DriftMetrics metrics = summary -> log.accept("metric " + DriftMetrics.NAMESPACE + " "
                + DriftMetrics.MODEL_DIMENSION + "=" + summary.modelName() + " " + DriftMetrics.DATASET_DRIFT + "="
                + (summary.datasetDrift() ? 1 : 0) + " " + DriftMetrics.DRIFTED_SHARE + "=" + summary.driftedShare());
        Optional<LocalWorkflows> profiles = runner.map(r -> new LocalWorkflows(r.running(
                ProfileStateMachine.DEFINITION, Map.of(ProfileStateMachine.TASKS_FUNCTION, LOCAL_FUNCTION_ARN)),
                endpoint.at(TASKS_PATH.substring(0, TASKS_PATH.length() - 1)), PROGRESS, log, clock));
        Map<String, String> sizes = new HashMap<>();
        sizes.put(DistributedChecks.IN_PROCESS_UP_TO_BYTES_ENV, System.getProperty(IN_PROCESS_UP_TO_BYTES_PROPERTY,
                ""));
        sizes.put(DistributedChecks.CHUNK_BYTES_ENV, System.getProperty(CHUNK_BYTES_PROPERTY, ""));
        DriftServices drift = DriftServices.create(engines.dynamoDbClient(), engines.tableName(), engines.s3Client(),
                new DriftBuckets(engines.bucketName(BucketDefinition.ARTIFACTS),
                        engines.bucketName(BucketDefinition.CAPTURE), engines.bucketName(BucketDefinition.DATASETS)),
                retraining, metrics, clock, profiles.map(engine -> DistributedChecks.Distribution.of(engine, sizes)));
        Optional<LocalFunctionTasks> tasks = profiles.map(engine -> new LocalFunctionTasks("drift",
                drift.profileTasks()::run, "profile_chunk", ItemReaders.s3Json(engines.s3Client())));
        ScheduledExecutorService scheduler = LocalSchedule.executor("capstan-drift-schedule");
        LocalDriftWiring wiring = new LocalDriftWiring(drift.monitor(), drift.function(), engines, scheduler, profiles,
                tasks, log);
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
        profiles.ifPresent(LocalWorkflows::close);
        profileTasks.ifPresent(LocalFunctionTasks::close);
    }
}
