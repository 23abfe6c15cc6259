package io.capstan.infra.api;

import static io.capstan.infra.storage.StorageAccess.BucketGrant.under;
import static io.capstan.infra.storage.StorageAccess.BucketGrant.whole;

import io.capstan.http.FunctionId;
import io.capstan.infra.pipeline.RetrainingAccess;
import io.capstan.infra.storage.StorageAccess;
import io.capstan.infra.storage.StorageAccess.BucketAccess;
import io.capstan.infra.storage.StorageAccess.TableAccess;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import java.util.Objects;

/**
 * What one function may do: with Capstan's storage, and with the retraining state machine. {@link #of(FunctionId)} is
 * an exhaustive switch, so a new function does not compile until someone decides its access.
 *
 * @param storage    table and bucket access
 * @param retraining     access to the retraining state machine; anything but {@code NONE} also puts its ARN in the
 *                       function's environment
 * @param qualityQueries whether it runs Athena queries over the prediction records ({@code QualityQueryTables});
 *                       also puts the workgroup and database in its environment
 * @param batchJobs      whether it starts and reads batch prediction jobs; also puts the batch state machine's ARN and
 *                       the batch locations in its environment, and lets it read those locations (jobs' progress)
 */
public record FunctionAccess(StorageAccess storage, RetrainingAccess retraining, boolean qualityQueries,
                             boolean batchJobs) {

    public FunctionAccess {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(retraining, "retraining");
    }

    public FunctionAccess(StorageAccess storage, RetrainingAccess retraining) {
        this(storage, retraining, false, false);
    }

    /** The least each function needs. */
    public static FunctionAccess of(FunctionId function) {
        return switch (function) {
            // presigned GET/PUT and multipart uploads are signed with this role, so it needs the same rights; the
            // registry's immutable copies are carved out with an explicit deny, so no presigned URL can change them
            case TRACKING -> new FunctionAccess(StorageAccess.of(TableAccess.READ_WRITE,
                    whole(BucketDefinition.ARTIFACTS, BucketAccess.READ_WRITE_DELETE),
                    under(BucketDefinition.ARTIFACTS, KeyPrefixes.REGISTRY, BucketAccess.DENY_WRITE)),
                    RetrainingAccess.NONE);
            // reads model sources anywhere among the run artifacts; writes only its immutable copies under registry/
            case REGISTRY -> new FunctionAccess(StorageAccess.of(TableAccess.READ_WRITE,
                    whole(BucketDefinition.ARTIFACTS, BucketAccess.READ),
                    under(BucketDefinition.ARTIFACTS, KeyPrefixes.REGISTRY, BucketAccess.WRITE)), RetrainingAccess.NONE);
            // reads the registry's items and its copies of the models; writes traffic sketches under capture/ and
            // prediction records under predictions/
            case PREDICT -> new FunctionAccess(StorageAccess.of(TableAccess.READ,
                    under(BucketDefinition.ARTIFACTS, KeyPrefixes.REGISTRY, BucketAccess.READ),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.CAPTURE, BucketAccess.WRITE),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.PREDICTIONS, BucketAccess.WRITE)),
                    RetrainingAccess.NONE);
            // approvals and upload claims in the table; executions through Step Functions
            case PIPELINE -> new FunctionAccess(StorageAccess.of(TableAccess.READ_WRITE), RetrainingAccess.OPERATE);
            // reads reference profiles, training data, datasets, captured sketches and its reports; writes reports
            // under reports/; starts retraining when a model drifts
            case DRIFT -> new FunctionAccess(StorageAccess.of(TableAccess.READ_WRITE,
                    whole(BucketDefinition.ARTIFACTS, BucketAccess.READ),
                    whole(BucketDefinition.DATASETS, BucketAccess.READ),
                    whole(BucketDefinition.CAPTURE, BucketAccess.READ),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.REPORTS, BucketAccess.WRITE)), RetrainingAccess.START);
            // reads prediction records and feedback files (dataset bucket, feedback/); writes ground truth under
            // feedback/ and reports under quality/ (read back);
            // reads a model's policy and aliases, and promotes or ends a canary as the policy says (audited); starts
            // retraining on the model's newest dataset when its quality dropped below the policy's threshold; joins
            // windows too large for itself in Athena (which reads predictions/ and feedback/ with these rights)
            case QUALITY -> new FunctionAccess(StorageAccess.of(TableAccess.READ_WRITE,
                    under(BucketDefinition.CAPTURE, KeyPrefixes.PREDICTIONS, BucketAccess.READ),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.FEEDBACK, BucketAccess.READ),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.FEEDBACK, BucketAccess.WRITE),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.QUALITY, BucketAccess.READ),
                    under(BucketDefinition.CAPTURE, KeyPrefixes.QUALITY, BucketAccess.WRITE),
                    under(BucketDefinition.DATASETS, KeyPrefixes.FEEDBACK, BucketAccess.READ),
                    under(BucketDefinition.DATASETS, KeyPrefixes.DATASETS, BucketAccess.READ)), RetrainingAccess.START,
                    true, false);
            // pins a job's version from the registry; keeps the jobs it accepted under batch/ of the artifact
            // bucket; reads jobs' progress and manifests in the batch locations; starts and reads batch executions
            case BATCH -> new FunctionAccess(StorageAccess.of(TableAccess.READ,
                    under(BucketDefinition.ARTIFACTS, KeyPrefixes.BATCH, BucketAccess.READ),
                    under(BucketDefinition.ARTIFACTS, KeyPrefixes.BATCH, BucketAccess.WRITE),
                    under(BucketDefinition.DATASETS, KeyPrefixes.BATCH, BucketAccess.READ)), RetrainingAccess.NONE,
                    false, true);
            // serves the console's files from its own jar: no table, no bucket
            case CONSOLE -> new FunctionAccess(StorageAccess.of(TableAccess.NONE), RetrainingAccess.NONE);
        };
    }
}
