package io.capstan.testing;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbTableBootstrap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, in process and in memory (no port), with Capstan's table created from its definition. Close it, or
 * register it as a static extension ({@code @RegisterExtension static final DynamoDbLocalTable TABLE = ...}) and
 * JUnit closes it after the class's tests.
 */
public final class DynamoDbLocalTable implements AutoCloseable, AfterAllCallback {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final AmazonDynamoDBLocal local;
    public final DynamoDbClient client;
    public final String tableName;

    /** A table with a name of its own. */
    public DynamoDbLocalTable() {
        this("capstan-test-" + TABLES.incrementAndGet());
    }

    public DynamoDbLocalTable(String tableName) {
        local = DynamoDBEmbedded.create(true); // true: telemetry off
        client = local.dynamoDbClient();
        this.tableName = tableName;
        DynamoDbTableBootstrap.createIfMissing(client, TableDefinition.METADATA, tableName);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        client.close();
        local.shutdown();
    }
}
