package io.capstan.store.dynamodb.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The DynamoDB batch reader: strongly consistent {@code BatchGetItem} in chunks of 100 (its limit), asking again for
 * the keys DynamoDB leaves unprocessed with a growing back-off, a bounded number of times.
 */
public final class BatchReads {
    /** BatchGetItem's limit on keys per call. */
    public static final int CHUNK = 100;

    private BatchReads() {
    }

    /**
     * The items at {@code keys} that exist, by {@code pk + "\n" + sk}; a key given twice is read once.
     *
     * @throws CapstanException TEMPORARILY_UNAVAILABLE (retryable) when DynamoDB still leaves keys unread after
     *                          {@value BatchWrites#MAX_ATTEMPTS} attempts of a chunk
     */
    public static Map<String, Map<String, AttributeValue>> get(DynamoDbClient dynamoDb, String tableName,
                                                                List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        List<Map<String, AttributeValue>> distinct = List.copyOf(new LinkedHashSet<>(keys));
        for (int from = 0; from < distinct.size(); from += CHUNK) {
            List<Map<String, AttributeValue>> pending = new ArrayList<>(distinct.subList(from,
                    Math.min(from + CHUNK, distinct.size())));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == BatchWrites.MAX_ATTEMPTS) {
                    throw new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE, "DynamoDB left " + pending.size()
                            + " reads undone after " + BatchWrites.MAX_ATTEMPTS + " attempts; retry the request.");
                }
                if (attempt > 0) {
                    Transactions.backOff(attempt);
                }
                List<Map<String, AttributeValue>> batch = pending;
                var response = dynamoDb.batchGetItem(b -> b.requestItems(Map.of(tableName,
                        KeysAndAttributes.builder().keys(batch).consistentRead(true).build())));
                response.responses().getOrDefault(tableName, List.of()).forEach(item -> found.put(key(item), item));
                KeysAndAttributes left = response.unprocessedKeys().get(tableName);
                pending = left == null ? List.of() : left.keys();
            }
        }
        return found;
    }

    /** The map key {@link #get} files an item under. */
    public static String key(Map<String, AttributeValue> item) {
        return item.get(Keys.PK).s() + "\n" + item.get(Keys.SK).s();
    }
}
