package io.capstan.pipeline.testutils;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbTableBootstrap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, in process and in memory (no port), with Capstan's table created from its definition. The same
 * pattern as the store module's test helper, copied: that module publishes no test-jar.
 */
public final class DynamoDbLocalTable implements AutoCloseable {
    public static final String TABLE = "capstan-test";

    private final AmazonDynamoDBLocal local;
    public final DynamoDbClient client;

    public DynamoDbLocalTable() {
        local = DynamoDBEmbedded.create(true); // true: telemetry off
        client = local.dynamoDbClient();
        DynamoDbTableBootstrap.createIfMissing(client, TableDefinition.METADATA, TABLE);
    }

    @Override
    public void close() {
        client.close();
        local.shutdown();
    }
}
