package io.capstan.store.dynamodb.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The DynamoDB batch writer: puts or deletes items in chunks of 25 (BatchWriteItem's limit), re-sending what
 * DynamoDB leaves unprocessed with a growing back-off, a bounded number of times.
 */
public final class BatchWrites {
    /** BatchWriteItem's limit on requests per call. */
    public static final int CHUNK = 25;
    static final int MAX_ATTEMPTS = 12;

    private BatchWrites() {
    }

    public static void put(DynamoDbClient dynamoDb, String tableName, List<Map<String, AttributeValue>> items) {
        write(dynamoDb, tableName, items.stream().map(i -> WriteRequest.builder().putRequest(p -> p.item(i)).build())
                .toList());
    }

    /** Deletes the items (only their {@code pk} and {@code sk} are read). */
    public static void delete(DynamoDbClient dynamoDb, String tableName, List<Map<String, AttributeValue>> items) {
        write(dynamoDb, tableName, items.stream().map(i -> WriteRequest.builder()
                .deleteRequest(d -> d.key(Map.of(Keys.PK, i.get(Keys.PK), Keys.SK, i.get(Keys.SK)))).build()).toList());
    }

    /**
     * Writes every request.
     *
     * @throws CapstanException TEMPORARILY_UNAVAILABLE (retryable) naming the first key left unwritten when DynamoDB
     *                          still refuses some after {@value #MAX_ATTEMPTS} attempts of a chunk
     */
    public static void write(DynamoDbClient dynamoDb, String tableName, List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += CHUNK) {
            List<WriteRequest> pending = requests.subList(from, Math.min(from + CHUNK, requests.size()));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE, "DynamoDB left " + pending.size()
                            + " of " + requests.size() + " writes undone after " + MAX_ATTEMPTS + " attempts, first "
                            + describe(pending.get(0)) + "; retry the request.");
                }
                if (attempt > 0) {
                    Transactions.backOff(attempt);
                }
                List<WriteRequest> batch = pending;
                pending = dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(tableName, batch)))
                        .unprocessedItems().getOrDefault(tableName, List.of());
            }
        }
    }

    private static String describe(WriteRequest request) {
        Map<String, AttributeValue> key = request.putRequest() != null ? request.putRequest().item()
                : request.deleteRequest().key();
        return (request.putRequest() != null ? "put " : "delete ") + key.get(Keys.PK).s() + " / " + key.get(Keys.SK).s();
    }
}
