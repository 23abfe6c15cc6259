package io.capstan.drift.monitoring;

import java.util.Objects;

/**
 * The buckets a drift check uses.
 *
 * @param artifacts where the registry keeps its copies of models and their reference profiles
 *                  ({@code mlflow-artifacts:/<key>} locations resolve here)
 * @param capture   where captured sketches are read and reports written
 * @param datasets  where models' datasets are uploaded
 */
public record DriftBuckets(String artifacts, String capture, String datasets) {
    private static final String ARTIFACTS_SCHEME = "mlflow-artifacts:/";

    public DriftBuckets {
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(datasets, "datasets");
    }

    /** A registered version's storage location ({@code mlflow-artifacts:/<key>} or {@code s3://…}) as an object. */
    public ObjectLocation resolve(String location, String field) {
        if (location.startsWith(ARTIFACTS_SCHEME)) {
            return new ObjectLocation(artifacts, location.substring(ARTIFACTS_SCHEME.length()));
        }
        return ObjectLocation.parse(location, field);
    }
}
