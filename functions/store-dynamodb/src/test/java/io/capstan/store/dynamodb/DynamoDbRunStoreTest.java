package io.capstan.store.dynamodb;

import io.capstan.testing.DynamoDbLocalTable;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link DynamoDbRunStore} on DynamoDB Local, in process and in memory. */
class DynamoDbRunStoreTest extends DynamoDbRunStoreContract {
    private final DynamoDbLocalTable table = new DynamoDbLocalTable();

    @Override
    protected DynamoDbClient client() {
        return table.client;
    }

    @Override
    protected String tableName() {
        return table.tableName;
    }

    @AfterAll
    void stopDynamoDb() {
        table.close();
    }
}
