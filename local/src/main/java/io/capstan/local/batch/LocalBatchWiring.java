package io.capstan.local.batch;

import io.capstan.batch.BatchStateMachine;
import io.capstan.batch.S3Location;
import io.capstan.batch.api.BatchFunction;
import io.capstan.batch.api.BatchLocations;
import io.capstan.batch.api.S3BatchRecords;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.local.LocalEngines;
import io.capstan.local.pipeline.ItemReaders;
import io.capstan.local.pipeline.LocalFunctionTasks;
import io.capstan.local.pipeline.LocalWorkflows;
import io.capstan.local.pipeline.StateMachineRunner;
import io.capstan.local.pipeline.TaskEndpoint;
import io.capstan.predict.batch.BatchFinisher;
import io.capstan.predict.batch.BatchPlanner;
import io.capstan.predict.batch.BatchTasks;
import io.capstan.predict.batch.ChunkScorer;
import io.capstan.predict.batch.S3BatchObjects;
import io.capstan.registry.RegistryStore;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Batch predictions on one machine: the batch API on the local engine, which runs
 * {@code step-functions/batch-predict.asl.json} with the local interpreter; its tasks score chunks through the
 * platform's own predict function (so batch predictions are recorded as online ones are). Jobs may read and write
 * under the dataset bucket's {@code batch/} and any prefix {@value #LOCATIONS_PROPERTY} adds.
 *
 * @param function the batch API
 * @param engine   runs the executions
 * @param tasks    the task endpoint the runner calls
 */
public record LocalBatchWiring(BatchFunction function, LocalWorkflows engine, LocalFunctionTasks tasks)
        implements AutoCloseable {
    /** Where the runner posts the batch state machine's tasks: {@code <TASKS_PATH><state>}. */
    public static final String TASKS_PATH = "/_local/batch/tasks/";
    /** {@code capstan.batch.locations}: more S3 prefixes jobs may use, comma-separated. */
    public static final String LOCATIONS_PROPERTY = "capstan.batch.locations";
    /** The log's lines: each chunk scored or failed for good, each failed attempt, the job's status and rows. */
    static final LocalWorkflows.Progress PROGRESS = new LocalWorkflows.Progress("batch", Map.of("ScoreChunk",
            "chunk scored", "RecordChunkFailure", "a chunk failed after its retries"), Set.of("ScoreChunk"),
            output -> output.path("status").asText("") + ", " + output.path("rows").asText("?") + " rows");
    /** Local stand-in for the tasks function's ARN, valid so the interpreter's validation accepts it. */
    static final String LOCAL_TASKS_ARN = "arn:aws:lambda:us-east-1:000000000000:function:capstan-batch-tasks";

    /**
     * @param runner    the state machine runner of the repository
     * @param endpoint  the platform's own listener (any path of it: the batch tasks' path is set here)
     * @param predict   the platform's predict function
     * @param registry  the registry (versions are pinned when a job is accepted)
     */
    public static LocalBatchWiring create(LocalEngines engines, StateMachineRunner runner, TaskEndpoint endpoint,
                                          Function<HttpRequest, HttpResponse> predict, RegistryStore registry,
                                          Consumer<String> log, Clock clock) {
        S3BatchObjects objects = new S3BatchObjects(engines.s3Client());
        BatchTasks batchTasks = new BatchTasks(new BatchPlanner(objects), new ChunkScorer(objects, predict,
                engines.dataDir().resolve("batch")), new BatchFinisher(objects, clock));
        LocalFunctionTasks tasks = new LocalFunctionTasks("batch", batchTasks::run, "score",
                ItemReaders.s3Json(engines.s3Client()));
        LocalWorkflows engine = new LocalWorkflows(runner.running(BatchStateMachine.DEFINITION,
                Map.of(BatchStateMachine.TASKS_FUNCTION, LOCAL_TASKS_ARN)),
                endpoint.at(TASKS_PATH.substring(0, TASKS_PATH.length() - 1)), PROGRESS, log,
                clock);
        String locations = new S3Location(engines.bucketName(BucketDefinition.DATASETS), KeyPrefixes.BATCH)
                + "," + System.getProperty(LOCATIONS_PROPERTY, "");
        BatchFunction function = new BatchFunction(registry, new S3BatchRecords(engines.s3Client(),
                engines.bucketName(BucketDefinition.ARTIFACTS)), engine, BatchLocations.parse(locations), clock,
                RouteTable.capstan());
        return new LocalBatchWiring(function, engine, tasks);
    }

    @Override
    public void close() {
        engine.close();
        tasks.close();
    }
}
