package io.capstan.infra.storage;

import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import java.util.List;
import java.util.Objects;

/**
 * What the storage stack builds.
 *
 * @param table   the single metadata table
 * @param buckets the buckets, each with a distinct logical name
 */
public record StorageDefinitions(TableDefinition table, List<BucketDefinition> buckets) {

    public StorageDefinitions {
        Objects.requireNonNull(table, "table");
        buckets = List.copyOf(buckets);
        if (buckets.stream().map(BucketDefinition::logicalName).distinct().count() != buckets.size()) {
            throw new IllegalArgumentException("bucket logical names must be distinct: " + buckets);
        }
    }

    /** Capstan's table and buckets, as {@code io.capstan.storage} defines them. */
    public static StorageDefinitions capstan() {
        return new StorageDefinitions(TableDefinition.METADATA, BucketDefinition.all());
    }
}
