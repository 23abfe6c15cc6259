package io.capstan.local;

import io.capstan.local.internal.DataDirectoryLock;
import io.capstan.local.internal.EmbeddedDynamoDb;
import io.capstan.local.internal.EmbeddedS3;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbTableBootstrap;
import io.capstan.store.s3.S3BucketBootstrap;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * DynamoDB Local and S3Proxy started in this JVM on one data directory ({@code <dataDir>/dynamodb},
 * {@code <dataDir>/s3}), with Capstan's table and buckets created where missing. Data survives {@link #close()}
 * and a later start on the same directory. Only one instance may use a data directory at a time.
 *
 * <p>The {@link #dynamoDbClient()} is DynamoDB Local's in-process client: functions hosted in this JVM call the
 * database without HTTP. Locally, table and bucket names are the definitions' logical names.
 */
public final class LocalEngines implements AutoCloseable {

    private final Path dataDir;
    private final DataDirectoryLock lock;
    private final EmbeddedDynamoDb dynamoDb;
    private final EmbeddedS3 s3;

    private LocalEngines(Path dataDir, DataDirectoryLock lock, EmbeddedDynamoDb dynamoDb, EmbeddedS3 s3) {
        this.dataDir = dataDir;
        this.lock = lock;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    /** Starts the engines on {@code dataDir}, created if missing, without reporting progress. */
    public static LocalEngines start(Path dataDir) {
        return start(dataDir, line -> { });
    }

    /**
     * Starts the engines on {@code dataDir}, created if missing.
     *
     * @param progress receives one line per step (engine started, table ready, buckets ready)
     * @throws IllegalStateException         when another platform uses {@code dataDir}, or an engine fails
     * @throws java.io.UncheckedIOException when {@code dataDir} cannot be created or written
     */
    public static LocalEngines start(Path dataDir, Consumer<String> progress) {
        Path dir = dataDir.toAbsolutePath().normalize();
        DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
        progress.accept("Starting DynamoDB Local and S3Proxy with data in " + dir);
        // S3Proxy starts while DynamoDB Local opens its database: both take about a second
        CompletableFuture<EmbeddedS3> s3Start = CompletableFuture.supplyAsync(() -> EmbeddedS3.start(dir.resolve("s3")));
        EmbeddedDynamoDb dynamoDb = null;
        EmbeddedS3 s3 = null;
        try {
            dynamoDb = EmbeddedDynamoDb.start(dir.resolve("dynamodb"));
            progress.accept("DynamoDB Local ready (in-process, " + (dynamoDb.relaxedSync()
                    ? "SQLite WAL, synchronous=NORMAL)" : "SQLite synchronous=FULL)"));
            String table = TableDefinition.METADATA.logicalName();
            DynamoDbTableBootstrap.createIfMissing(dynamoDb.client(), TableDefinition.METADATA, table);
            progress.accept("Table " + table + " ready");
            s3 = s3Start.join();
            progress.accept("S3Proxy ready at " + s3.endpoint());
            for (BucketDefinition bucket : BucketDefinition.all()) {
                S3BucketBootstrap.createIfMissing(s3.client(), bucket.logicalName());
            }
            progress.accept("Buckets " + BucketDefinition.all().stream().map(BucketDefinition::logicalName)
                    .collect(Collectors.joining(", ")) + " ready");
            return new LocalEngines(dir, lock, dynamoDb, s3);
        } catch (RuntimeException e) {
            List<AutoCloseable> started = new ArrayList<>();
            if (s3 == null) {
                s3 = s3Start.exceptionally(failed -> null).join();
            }
            started.add(s3);
            started.add(dynamoDb);
            started.add(lock);
            closeAll(started, e);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** DynamoDB Local's in-process client; closing the engines closes it. */
    public DynamoDbClient dynamoDbClient() {
        return dynamoDb.client();
    }

    /** A client for S3Proxy; closing the engines closes it. */
    public S3Client s3Client() {
        return s3.client();
    }

    /** A presigner whose URLs point at S3Proxy on 127.0.0.1; closing the engines closes it. */
    public S3Presigner s3Presigner() {
        return s3.presigner();
    }

    /** S3Proxy's endpoint, {@code http://127.0.0.1:<port>}; the port changes at each start. */
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** The metadata table's name here: its logical name. */
    public String tableName() {
        return TableDefinition.METADATA.logicalName();
    }

    /** A bucket's name here: its logical name. */
    public String bucketName(BucketDefinition bucket) {
        return bucket.logicalName();
    }

    /** The absolute data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The file holding an object: S3Proxy keeps each bucket as a folder of {@code <dataDir>/s3} and each object as
     * a file at its key, so a report can be opened straight from disk.
     */
    public Path objectFile(String bucket, String key) {
        return dataDir.resolve("s3").resolve(bucket).resolve(key);
    }

    /** Stops S3Proxy and DynamoDB Local (data is flushed) and releases the data directory. */
    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException("Stopping the local engines failed");
        closeAll(List.of(s3, dynamoDb, lock), failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeAll(List<AutoCloseable> resources, RuntimeException collector) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                collector.addSuppressed(e);
            }
        }
    }
}
