package io.capstan.batch.api;

import io.capstan.batch.BatchStateMachine;
import io.capstan.batch.S3Location;
import io.capstan.error.CapstanException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a job may read and write: the S3 prefixes the deployment grants the batch functions (by default the dataset
 * bucket's {@code batch/}; the CDK context {@code capstan:batchLocations} adds more, docs/BATCH.md). A job naming any
 * other location is refused before it starts, rather than failing inside the state machine on access denied.
 */
public final class BatchLocations {
    private final List<S3Location> allowed;

    public BatchLocations(List<S3Location> allowed) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("batch jobs need at least one location");
        }
        for (S3Location location : allowed) {
            if (!location.isPrefix()) {
                throw new IllegalArgumentException("a batch location is a prefix ending in /, got " + location);
            }
        }
        this.allowed = List.copyOf(allowed);
    }

    /** The locations in {@code text}: comma-separated {@code s3://bucket/prefix/} URIs. */
    public static BatchLocations parse(String text) {
        List<S3Location> locations = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                locations.add(S3Location.parse(BatchStateMachine.LOCATIONS_ENV, part.strip()));
            }
        }
        return new BatchLocations(locations);
    }

    /**
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the field and the allowed locations
     */
    public void check(String field, S3Location location) {
        for (S3Location prefix : allowed) {
            if (prefix.bucket().equals(location.bucket()) && location.key().startsWith(prefix.key())) {
                return;
            }
        }
        throw CapstanException.invalidParameter("'" + field + "' is " + location + ", outside the locations batch jobs"
                + " may use: " + allowed + " (docs/BATCH.md says how to add one).");
    }
}
