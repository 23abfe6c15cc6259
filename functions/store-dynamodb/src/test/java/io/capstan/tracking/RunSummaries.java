package io.capstan.tracking;

import io.capstan.store.dynamodb.internal.ItemSizes;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.tracking.search.Page;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The stored run summaries behind a search's answer, for tests that compare what a search read with it. */
final class RunSummaries {
    private RunSummaries() {
    }

    /** The total size, by DynamoDB's rules, of the summaries of the runs {@code page} returned. */
    static long bytes(DynamoDbLocalTable table, String experimentId, Page<Run> page) {
        long bytes = 0;
        for (Run run : page.items()) {
            bytes += ItemSizes.of(table.client.getItem(b -> b.tableName(table.tableName).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("EXP#" + experimentId),
                            "sk", AttributeValue.fromS("RUN#" + run.info().runId())))).item());
        }
        return bytes;
    }
}
