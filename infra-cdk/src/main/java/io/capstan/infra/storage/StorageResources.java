package io.capstan.infra.storage;

import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The storage a stateless stack may use, as typed CDK references (never names).
 *
 * @param tableDefinition    the table's definition (key names, environment variable)
 * @param table              the deployed table
 * @param buckets            every deployed bucket by its definition
 * @param eventBridgeBuckets the buckets whose object events reach EventBridge
 * @param qualityQueries     Athena's tables over the capture bucket's records, when there is a capture bucket
 */
public record StorageResources(TableDefinition tableDefinition, ITable table, Map<BucketDefinition, IBucket> buckets,
                               Set<BucketDefinition> eventBridgeBuckets, Optional<QualityQueryTables> qualityQueries) {

    public StorageResources {
        Objects.requireNonNull(tableDefinition, "tableDefinition");
        Objects.requireNonNull(table, "table");
        buckets = Map.copyOf(buckets);
        eventBridgeBuckets = Set.copyOf(eventBridgeBuckets);
        Objects.requireNonNull(qualityQueries, "qualityQueries");
    }

    /**
     * @throws IllegalArgumentException when the storage stack has no bucket for {@code definition}
     */
    public IBucket bucket(BucketDefinition definition) {
        IBucket bucket = buckets.get(definition);
        if (bucket == null) {
            throw new IllegalArgumentException("no bucket for " + definition.logicalName()
                    + "; add it to the definitions the StorageStack is built from");
        }
        return bucket;
    }

    /** Whether {@code definition}'s bucket sends object events ("Object Created", ...) to EventBridge. */
    public boolean sendsEventsToEventBridge(BucketDefinition definition) {
        return eventBridgeBuckets.contains(definition);
    }
}
