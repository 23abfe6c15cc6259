package io.capstan.infra.storage;

import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the storage stack builds.
 *
 * @param table              the single metadata table
 * @param buckets            the buckets, each with a distinct logical name
 * @param eventBridgeBuckets the buckets that send their object events to EventBridge (a subset of {@code buckets})
 */
public record StorageDefinitions(TableDefinition table, List<BucketDefinition> buckets,
                                 Set<BucketDefinition> eventBridgeBuckets) {

    public StorageDefinitions {
        Objects.requireNonNull(table, "table");
        buckets = List.copyOf(buckets);
        eventBridgeBuckets = Set.copyOf(eventBridgeBuckets);
        if (buckets.stream().map(BucketDefinition::logicalName).distinct().count() != buckets.size()) {
            throw new IllegalArgumentException("bucket logical names must be distinct: " + buckets);
        }
        if (!buckets.containsAll(eventBridgeBuckets)) {
            throw new IllegalArgumentException("event-sending buckets " + eventBridgeBuckets + " must be among the "
                    + "buckets " + buckets);
        }
    }

    /** {@code buckets} with no object events sent to EventBridge. */
    public StorageDefinitions(TableDefinition table, List<BucketDefinition> buckets) {
        this(table, buckets, Set.of());
    }

    /**
     * Capstan's table and buckets, as {@code io.capstan.storage} defines them. The dataset bucket sends its object
     * events to EventBridge: an upload under {@code datasets/<model>/} starts retraining.
     */
    public static StorageDefinitions capstan() {
        return new StorageDefinitions(TableDefinition.METADATA, BucketDefinition.all(), Set.of(BucketDefinition.DATASETS));
    }
}
