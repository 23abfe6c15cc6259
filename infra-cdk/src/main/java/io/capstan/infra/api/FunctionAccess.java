package io.capstan.infra.api;

import io.capstan.http.FunctionId;
import io.capstan.storage.BucketDefinition;
import java.util.Map;
import java.util.Objects;

/**
 * What one function may do with Capstan's storage. {@link #of(FunctionId)} is an exhaustive switch, so a new
 * function does not compile until someone decides its access.
 *
 * @param table   access to the metadata table
 * @param buckets access per bucket; buckets not listed are out of reach
 */
public record FunctionAccess(TableAccess table, Map<BucketDefinition, BucketAccess> buckets) {

    public FunctionAccess {
        Objects.requireNonNull(table, "table");
        buckets = Map.copyOf(buckets);
    }

    /** The least each function needs. */
    public static FunctionAccess of(FunctionId function) {
        return switch (function) {
            // presigned GET/PUT and multipart uploads are signed with this role, so it needs the same rights
            case TRACKING -> new FunctionAccess(TableAccess.READ_WRITE,
                    Map.of(BucketDefinition.ARTIFACTS, BucketAccess.READ_WRITE_DELETE));
            // reads model sources among the run artifacts, writes the registry's copies
            case REGISTRY -> new FunctionAccess(TableAccess.READ_WRITE,
                    Map.of(BucketDefinition.ARTIFACTS, BucketAccess.READ_WRITE_DELETE));
            // reads the registry's items and its copies of the models; nothing else
            case PREDICT -> new FunctionAccess(TableAccess.READ,
                    Map.of(BucketDefinition.ARTIFACTS, BucketAccess.READ));
            // approvals and upload claims; Step Functions access is granted by the pipeline stack
            case PIPELINE -> new FunctionAccess(TableAccess.READ_WRITE, Map.of());
            // reads reference profiles, captured sketches and datasets, writes reports
            case DRIFT -> new FunctionAccess(TableAccess.READ_WRITE, Map.of(BucketDefinition.ARTIFACTS,
                    BucketAccess.READ, BucketDefinition.DATASETS, BucketAccess.READ, BucketDefinition.CAPTURE,
                    BucketAccess.READ_WRITE_DELETE));
        };
    }

    /** Table access levels, each one {@code grant*} call. */
    public enum TableAccess {
        NONE, READ, READ_WRITE
    }

    /** Bucket access levels, each a set of {@code grant*} calls. */
    public enum BucketAccess {
        /** {@code grantRead}: get objects (any version), list the bucket and multipart uploads. */
        READ,
        /**
         * {@code grantReadWrite}: also put, delete (CDK's read-write grant includes {@code s3:DeleteObject*}, so
         * there is no write-without-delete level) and abort multipart uploads.
         */
        READ_WRITE_DELETE
    }
}
