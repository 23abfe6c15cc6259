package io.capstan.infra.pipeline;

import static io.capstan.infra.storage.StorageAccess.BucketGrant.under;

import io.capstan.batch.BatchStateMachine;
import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.function.CapstanFunctionProps;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.storage.StorageAccess;
import io.capstan.infra.storage.StorageAccess.BucketAccess;
import io.capstan.infra.storage.StorageAccess.TableAccess;
import io.capstan.infra.storage.StorageGrants;
import io.capstan.infra.storage.StorageResources;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Batch predictions (docs/BATCH.md): the state machine from {@code step-functions/batch-predict.asl.json} (a
 * Distributed Map over the plan's chunks; logged at level ALL to an encrypted log group, traced) and its tasks
 * function, from the predict function's jar ({@code BatchTasksLambdaHandler}): the plan, each chunk, the finish. The
 * tasks read and write only the batch locations ({@link BatchLocationSettings}), read the registry and its model
 * copies, and write prediction records as the predict function does.
 */
public final class BatchPredictions extends Construct {
    /** The tasks' entry point, in {@code functions/predict}. */
    public static final String TASKS_HANDLER = "io.capstan.predict.lambda.BatchTasksLambdaHandler::handleRequest";
    /** The tasks function's module under {@code functions/}. */
    public static final String MODULE = "predict";
    /** A chunk is scored within one invocation: 64 MiB of rows at tens of thousands of rows a second, with room. */
    public static final Duration TASKS_TIMEOUT = Duration.minutes(15);
    /** ONNX Runtime's sessions and a thousand rows at a time; more memory is more vCPU for scoring. */
    public static final int TASKS_MEMORY_MIB = 3008;
    /** The state machine's name: fixed, so its role may start its own Distributed Map runs. */
    public static final String STATE_MACHINE_NAME = "capstan-batch-predictions";

    private final CapstanFunction tasks;
    private final StateMachine stateMachine;

    /**
     * @param definition the ASL text
     * @param locations  where jobs may read and write
     */
    public record Props(String definition, FunctionCode code, StorageResources storage,
                        BatchLocationSettings locations, StackKey key) {
        public Props {
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(locations, "locations");
            Objects.requireNonNull(key, "key");
        }
    }

    public BatchPredictions(Construct scope, String id, Props props) {
        super(scope, id);
        StorageResources storage = props.storage();
        this.tasks = new CapstanFunction(this, "Tasks", CapstanFunctionProps.builder()
                .description("Capstan batch prediction tasks: plan a job, score a chunk, write the manifest")
                .handler(TASKS_HANDLER)
                .code(props.code().assetOf(MODULE))
                .memoryMib(TASKS_MEMORY_MIB)
                .timeout(TASKS_TIMEOUT)
                .environment(storage.tableDefinition().tableNameEnvVar(), storage.table().getTableName())
                .environment(BucketDefinition.ARTIFACTS.nameEnvVar(),
                        storage.bucket(BucketDefinition.ARTIFACTS).getBucketName())
                .environment(BucketDefinition.CAPTURE.nameEnvVar(),
                        storage.bucket(BucketDefinition.CAPTURE).getBucketName())
                .build());
        // the registry's items and model copies, as the predict function; prediction records and sketches of what
        // the chunks score; the batch locations
        StorageGrants.grant(StorageAccess.of(TableAccess.READ,
                under(BucketDefinition.ARTIFACTS, KeyPrefixes.REGISTRY, BucketAccess.READ),
                under(BucketDefinition.CAPTURE, KeyPrefixes.CAPTURE, BucketAccess.WRITE),
                under(BucketDefinition.CAPTURE, KeyPrefixes.PREDICTIONS, BucketAccess.WRITE),
                under(BucketDefinition.DATASETS, KeyPrefixes.BATCH, BucketAccess.READ),
                under(BucketDefinition.DATASETS, KeyPrefixes.BATCH, BucketAccess.WRITE)), tasks.role(), storage);
        props.locations().grantExternal(tasks.role(), true);

        this.stateMachine = DistributedMapStateMachine.create(this, STATE_MACHINE_NAME, "Capstan batch predictions: "
                + "plan, score each chunk (Distributed Map), write the manifest", props.definition(),
                Map.of(BatchStateMachine.TASKS_FUNCTION, tasks.alias().getFunctionArn()), tasks, props.key());
        // the Map's ItemReader reads the plan the Plan task stored under the job's output (a batch location)
        StorageGrants.grant(StorageAccess.of(TableAccess.NONE, under(BucketDefinition.DATASETS, KeyPrefixes.BATCH,
                BucketAccess.READ)), stateMachine.getRole(), storage);
        props.locations().grantExternal(stateMachine.getRole(), false);
    }

    public IStateMachine stateMachine() {
        return stateMachine;
    }

    public CapstanFunction tasks() {
        return tasks;
    }
}
