package io.capstan.tracking;

import java.util.Objects;

/**
 * A dataset a run used, as MLflow's {@code Dataset}: identified by name and digest.
 *
 * @param name       dataset name
 * @param digest     content digest the client computed
 * @param sourceType where the data lives ({@code local}, {@code s3}, {@code http}, …)
 * @param source     JSON describing the source
 * @param schema     JSON schema of the data, may be null
 * @param profile    JSON profile (row counts and the like), may be null
 */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {
    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(source, "source");
    }
}
