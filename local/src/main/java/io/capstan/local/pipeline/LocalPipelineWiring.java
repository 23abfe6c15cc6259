package io.capstan.local.pipeline;

import io.capstan.http.RouteTable;
import io.capstan.local.LocalEngines;
import io.capstan.local.training.TrainerProcess;
import io.capstan.pipeline.engine.PipelineTriggers;
import io.capstan.pipeline.function.PipelineFunction;
import io.capstan.pipeline.tasks.PipelineServices;
import io.capstan.pipeline.tasks.PipelineTasks;
import io.capstan.storage.BucketDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The retraining pipeline assembled on one machine: the state machine runner and the local trainer from the
 * repository, the task endpoint, the engine, the pipeline API, and the upload watcher on the dataset bucket.
 *
 * @param engine   runs executions
 * @param tasks    the task endpoint the runner calls
 * @param function the pipeline API
 * @param watcher  the upload watcher
 */
public record LocalPipelineWiring(LocalPipelineEngine engine, LocalTasks tasks, PipelineFunction function,
                                  UploadWatcher watcher) implements AutoCloseable {
    /** How often the upload watcher polls the dataset bucket. */
    public static final long WATCH_INTERVAL_MILLIS = 1000;
    /** {@code capstan.retryIntervalMillis}: replaces the definition's retry intervals locally (0: as written). */
    public static final String RETRY_INTERVAL_PROPERTY = "capstan.retryIntervalMillis";

    /**
     * Assembles the pipeline.
     *
     * @param taskEndpoint where the runner reaches {@link LocalTasks}: the platform's own listener
     * @throws IllegalStateException when the trainer or the state machine runner is not installed in the repository
     */
    public static LocalPipelineWiring create(Path repository, PipelineServices services, LocalEngines engines,
                                             TaskEndpoint taskEndpoint, Consumer<String> log, Clock clock) {
        StateMachineRunner runner = StateMachineRunner.inRepository(repository,
                Long.getLong(RETRY_INTERVAL_PROPERTY, 0L));
        TrainerProcess trainer = TrainerProcess.inRepository(repository);
        LocalTraining training = new LocalTraining(engines.s3Client(), trainer, engines.dataDir().resolve("training"));
        LocalTasks tasks = new LocalTasks(new PipelineTasks(services.withTuningJobs(training.tuningJobs())), training,
                services.pipelines(), log, clock);
        LocalPipelineEngine engine = new LocalPipelineEngine(runner, services.pipelines(), taskEndpoint, log, clock);
        PipelineFunction function = new PipelineFunction(engine, services.pipelines(), RouteTable.capstan());
        UploadWatcher watcher = new UploadWatcher(engines.s3Client(), engines.bucketName(BucketDefinition.DATASETS),
                new PipelineTriggers(services.pipelines(), engine), log).start(WATCH_INTERVAL_MILLIS);
        return new LocalPipelineWiring(engine, tasks, function, watcher);
    }

    @Override
    public void close() {
        watcher.close();
        engine.close();
        tasks.close();
    }
}
