package io.capstan.infra.pipeline;

import io.capstan.http.FunctionId;
import io.capstan.infra.api.FunctionAccess;
import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.function.CapstanFunctionProps;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.storage.StorageAccess;
import io.capstan.infra.storage.StorageGrants;
import io.capstan.infra.storage.StorageResources;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Distributed drift checks (docs/DRIFT-LARGE.md): the state machine from
 * {@code step-functions/profile-dataset.asl.json} (a Distributed Map profiling each chunk of a dataset too large for
 * the drift function, then the merge) and its tasks function: the drift function's code and handler with the drift function's access (the same reads of
 * references and datasets, the same reports, the same retraining start), sized for one chunk at a time.
 */
public final class DriftProfiles extends Construct {
    /** The tasks' module under {@code functions/}: the drift function's. */
    public static final String MODULE = "drift";
    /**
     * A chunk (64 MiB of CSV by default) streams through sketches in about a second; the merge reads at most 1,000
     * chunk profiles. Fifteen minutes leaves room for a slow S3 read and larger chunks.
     */
    public static final Duration TASKS_TIMEOUT = Duration.minutes(15);
    /** One vCPU: a chunk's sketches are small, the parsing is the work. */
    public static final int TASKS_MEMORY_MIB = 1769;
    /** The state machine's name: fixed, so its role may start its own Distributed Map runs. */
    public static final String STATE_MACHINE_NAME = "capstan-drift-profiles";

    private final CapstanFunction tasks;
    private final StateMachine stateMachine;

    /**
     * @param definition the ASL text
     * @param retraining the retraining state machine a drifted dataset may start, as the drift function does
     */
    public record Props(String definition, FunctionCode code, StorageResources storage, IStateMachine retraining,
                        StackKey key) {
        public Props {
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(retraining, "retraining");
            Objects.requireNonNull(key, "key");
        }
    }

    public DriftProfiles(Construct scope, String id, Props props) {
        super(scope, id);
        StorageResources storage = props.storage();
        FunctionAccess access = FunctionAccess.of(FunctionId.DRIFT);
        CapstanFunctionProps.Builder builder = CapstanFunctionProps.builder()
                .description("Capstan distributed drift check tasks: profile a chunk, merge and report")
                .handler(FunctionId.DRIFT.lambdaHandler())
                .code(props.code().assetOf(MODULE))
                .memoryMib(TASKS_MEMORY_MIB)
                .timeout(TASKS_TIMEOUT)
                .environment(storage.tableDefinition().tableNameEnvVar(), storage.table().getTableName())
                .environment(RetrainStateMachine.STATE_MACHINE_ARN_ENV, props.retraining().getStateMachineArn());
        storage.buckets().forEach((definition, bucket) -> builder.environment(definition.nameEnvVar(),
                bucket.getBucketName()));
        this.tasks = new CapstanFunction(this, "Tasks", builder.build());
        StorageGrants.grant(access.storage(), tasks.role(), storage);
        access.retraining().grant(tasks.role(), props.retraining());
        this.stateMachine = DistributedMapStateMachine.create(this, STATE_MACHINE_NAME, "Capstan distributed drift "
                + "checks: profile each chunk (Distributed Map), merge and report", props.definition(),
                Map.of(ProfileStateMachine.TASKS_FUNCTION, tasks.alias().getFunctionArn()), tasks, props.key());
        // the Map's ItemReader reads the plan the drift function stored in the check's folder, under reports/
        StorageGrants.grant(StorageAccess.of(StorageAccess.TableAccess.NONE, StorageAccess.BucketGrant.under(
                BucketDefinition.CAPTURE, KeyPrefixes.REPORTS, StorageAccess.BucketAccess.READ)),
                stateMachine.getRole(), storage);
    }

    public IStateMachine stateMachine() {
        return stateMachine;
    }

    public CapstanFunction tasks() {
        return tasks;
    }
}
