package io.capstan.store.dynamodb.internal;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Pointer items that name the experiment an entity (a run, a logged model) lives under: {@code <entity pk>} /
 * {@code <pointer sk>} holding {@code experimentId}. A pointer never changes once written, so this process keeps what
 * it read or wrote, up to {@value #CACHE_LIMIT} entries.
 */
public final class ExperimentPointers {
    private static final int CACHE_LIMIT = 100_000;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Function<String, String> partitionKey;
    private final String sortKey;
    private final Map<String, String> experimentOf = new ConcurrentHashMap<>();

    /**
     * @param partitionKey the pointer item's partition key for an entity id ({@code Keys::runPk})
     * @param sortKey      the pointer item's sort key
     */
    public ExperimentPointers(DynamoDbClient dynamoDb, String tableName, Function<String, String> partitionKey,
                              String sortKey) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
    }

    /** The experiment of entity {@code id}, read with strong consistency when not known yet; empty when none. */
    public Optional<String> experimentOf(String id) {
        String cached = experimentOf.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Map<String, AttributeValue> pointer = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(partitionKey.apply(id)), SK, s(sortKey)))).item();
        if (pointer == null || pointer.isEmpty()) {
            return Optional.empty();
        }
        String experimentId = pointer.get("experimentId").s();
        remember(id, experimentId);
        return Optional.of(experimentId);
    }

    /** Records the experiment of an entity this process has just written. */
    public void remember(String id, String experimentId) {
        if (experimentOf.size() > CACHE_LIMIT) {
            experimentOf.clear();
        }
        experimentOf.put(id, experimentId);
    }
}
