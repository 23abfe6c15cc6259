package io.capstan.storage;

import java.util.List;
import java.util.Objects;

/**
 * One of Capstan's S3 buckets, written once and read by the CDK storage stack and the local bootstrap.
 *
 * @param logicalName  construct id in CDK, bucket name locally
 * @param versioned    whether object versions are kept (where the data matters)
 * @param nameEnvVar   the environment variable a function reads the deployed bucket name from
 * @param purpose      one line on what the bucket holds
 */
public record BucketDefinition(String logicalName, boolean versioned, String nameEnvVar, String purpose) {

    /** Run artifacts and registered models. */
    public static final BucketDefinition ARTIFACTS = new BucketDefinition(
            "capstan-artifacts", true, "CAPSTAN_ARTIFACT_BUCKET", "run artifacts and registered models");
    /** Training datasets; uploads under {@code datasets/<model>/} start retraining. */
    public static final BucketDefinition DATASETS = new BucketDefinition(
            "capstan-datasets", true, "CAPSTAN_DATASET_BUCKET", "training datasets");
    /** Captured inference data and drift sketches; kept for a bounded time, not versioned. */
    public static final BucketDefinition CAPTURE = new BucketDefinition(
            "capstan-capture", false, "CAPSTAN_CAPTURE_BUCKET", "captured inference data and drift sketches");

    public BucketDefinition {
        Objects.requireNonNull(logicalName, "logicalName");
        Objects.requireNonNull(nameEnvVar, "nameEnvVar");
        Objects.requireNonNull(purpose, "purpose");
    }

    /** Every bucket Capstan uses. */
    public static List<BucketDefinition> all() {
        return List.of(ARTIFACTS, DATASETS, CAPTURE);
    }
}
