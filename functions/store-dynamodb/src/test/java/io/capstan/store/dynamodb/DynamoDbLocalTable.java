package io.capstan.store.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import io.capstan.storage.TableDefinition;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local, in-process and in memory, with Capstan's table created from its definition. */
public final class DynamoDbLocalTable implements AutoCloseable {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final AmazonDynamoDBLocal local;
    public final DynamoDbClient client;
    public final String tableName;

    public DynamoDbLocalTable() {
        local = DynamoDBEmbedded.create(true); // true: telemetry off
        client = local.dynamoDbClient();
        tableName = "capstan-test-" + TABLES.incrementAndGet();
        DynamoDbTableBootstrap.createIfMissing(client, TableDefinition.METADATA, tableName);
    }

    @Override
    public void close() {
        client.close();
        local.shutdown();
    }
}
