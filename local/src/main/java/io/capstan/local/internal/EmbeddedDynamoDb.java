package io.capstan.local.internal;

import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.dynamodbv2.local.shared.access.sqlite.SQLiteLibraryLoader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in embedded mode: the SQLite database lives in {@code <directory>/shared-local-instance.db}
 * (the file DynamoDB Local's server writes with {@code -dbPath <directory> -sharedDb}, so either can open it),
 * and the {@link DynamoDbClient} calls it in-process, without HTTP.
 *
 * <p>Writes are tuned for a local platform: the database uses SQLite's write-ahead log (a setting stored in the
 * file), and, where DynamoDB Local's internals allow, {@code synchronous=NORMAL}: a commit survives the process
 * being killed; only an operating system crash or power loss may lose the last commits, never consistency.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    /** The database file name DynamoDB Local's server uses with {@code -sharedDb}. */
    public static final String DATABASE_FILE = "shared-local-instance.db";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDynamoDb.class);

    private final AmazonDynamoDBLocal local;
    private final DynamoDbClient client;
    private final Optional<SQLiteQueue> queue;
    private final boolean relaxedSync;

    private EmbeddedDynamoDb(AmazonDynamoDBLocal local, Optional<SQLiteQueue> queue, boolean relaxedSync) {
        this.local = local;
        this.client = local.dynamoDbClient();
        this.queue = queue;
        this.relaxedSync = relaxedSync;
    }

    /** Opens (or creates) the database in {@code directory}. */
    public static EmbeddedDynamoDb start(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the DynamoDB data directory " + directory, e);
        }
        File database = directory.resolve(DATABASE_FILE).toFile();
        useWriteAheadLog(database);
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(database, true); // true: telemetry off
        Optional<SQLiteQueue> queue = sqliteQueue(local);
        boolean relaxed = queue.map(EmbeddedDynamoDb::relaxSync).orElse(false);
        return new EmbeddedDynamoDb(local, queue, relaxed);
    }

    /** The in-process client: thread-safe, no HTTP; do not close it, close this instead. */
    public DynamoDbClient client() {
        return client;
    }

    /** Whether commits skip the per-transaction fsync ({@code synchronous=NORMAL} took effect). */
    public boolean relaxedSync() {
        return relaxedSync;
    }

    @Override
    public void close() {
        local.shutdown();
        // shutdown() only asks SQLite's worker to stop; wait for it to close the database cleanly
        queue.ifPresent(q -> {
            try {
                q.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** WAL mode is persistent in the file: set once, before DynamoDB Local opens it. */
    private static void useWriteAheadLog(File database) {
        try {
            SQLiteLibraryLoader.initialize();
            SQLiteConnection connection = new SQLiteConnection(database).open(true);
            try {
                connection.exec("PRAGMA journal_mode=WAL");
            } finally {
                connection.dispose();
            }
        } catch (Exception e) {
            LOG.info("Could not switch {} to SQLite's write-ahead log ({}); writes will be slower", database,
                    e.toString());
        }
    }

    /**
     * DynamoDB Local keeps one SQLite connection behind a job queue; there is no API to reach it, so it is found
     * through the embedded client's fields once at start. Absent when a DynamoDB Local release changed them.
     */
    private static Optional<SQLiteQueue> sqliteQueue(AmazonDynamoDBLocal local) {
        try {
            Object handler = field(local, "val$handler");
            Object client = field(handler, "impl");
            Object access = field(client, "dbAccess");
            return Optional.of((SQLiteQueue) field(access, "queue"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("DynamoDB Local internals differ from 2.6.1 ({}); SQLite keeps synchronous=FULL", e.toString());
            return Optional.empty();
        }
    }

    private static boolean relaxSync(SQLiteQueue queue) {
        String mode = queue.execute(new SQLiteJob<String>() {
            @Override
            protected String job(SQLiteConnection connection) throws SQLiteException {
                connection.exec("PRAGMA synchronous=NORMAL");
                var statement = connection.prepare("PRAGMA synchronous");
                try {
                    return statement.step() ? statement.columnString(0) : "";
                } finally {
                    statement.dispose();
                }
            }
        }).complete();
        return "1".equals(mode);
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
}
