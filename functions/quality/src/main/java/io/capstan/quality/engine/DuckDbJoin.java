package io.capstan.quality.engine;

import io.capstan.monitoring.PredictionKeys;
import io.capstan.quality.storage.QualityStorage;
import io.capstan.quality.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;

/**
 * The join in DuckDB, in process: the window's objects are downloaded to a working folder and read as gzipped JSON
 * lines; the relations of {@link JoinSql} are materialised once as temporary tables, so that the records are read
 * once for every query.
 */
public final class DuckDbJoin implements JoinEngine {
    private static final String PREDICTION_COLUMNS = "{'id': 'VARCHAR', 'version': 'VARCHAR', 'time': 'BIGINT',"
            + " 'label': 'VARCHAR', 'probabilities': 'JSON', 'value': 'DOUBLE'}";
    private static final String FEEDBACK_COLUMNS = "{'id': 'VARCHAR', 'label': 'VARCHAR', 'value': 'DOUBLE',"
            + " 'received': 'BIGINT'}";

    private final QualityStorage storage;
    private final Limits limits;

    /**
     * How much DuckDB may use: in a Lambda function the JVM shares the function's memory, and DuckDB's default (80%
     * of what the machine reports) would not leave it enough.
     *
     * @param memoryLimit   DuckDB's {@code memory_limit} (e.g. {@code 1200MB}); empty for DuckDB's default
     * @param spillFolder   where DuckDB spills what does not fit ({@code temp_directory}); empty for its default
     */
    public record Limits(Optional<String> memoryLimit, Optional<Path> spillFolder) {
        public static final Limits DEFAULT = new Limits(Optional.empty(), Optional.empty());

        public Limits {
            memoryLimit.ifPresent(limit -> {
                if (!limit.matches("[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|KiB|MiB|GiB)")) {
                    throw new IllegalArgumentException("a DuckDB memory limit is a number and KB, MB, GB, KiB, MiB"
                            + " or GiB, got \"" + limit + "\"");
                }
            });
            Objects.requireNonNull(spillFolder, "spillFolder");
        }

        /**
         * The limits for a function of {@code memoryMib} megabytes: DuckDB gets 40% of it (the JVM's heap, the
         * joined rows and the native libraries share the rest), and spills to {@code spillFolder}.
         */
        public static Limits forFunction(int memoryMib, Path spillFolder) {
            return new Limits(Optional.of(memoryMib * 2 / 5 + "MB"), Optional.of(spillFolder));
        }
    }

    /** The join of {@code storage}'s records, with DuckDB's default limits. */
    public DuckDbJoin(QualityStorage storage) {
        this(storage, Limits.DEFAULT);
    }

    public DuckDbJoin(QualityStorage storage, Limits limits) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public Joined join(JoinWindow window) {
        return join(window, WindowObjects.predictions(storage, window), WindowObjects.feedback(storage, window));
    }

    /** The join of the window's objects, listed by the caller ({@link WindowObjects}). */
    Joined join(JoinWindow window, List<StoredObject> predictionObjects, List<StoredObject> feedbackObjects) {
        Path work;
        try {
            work = Files.createTempDirectory("capstan-quality-");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a working folder for the join", e);
        }
        try {
            List<Path> predictions = download(predictionObjects, work, "p");
            List<Path> feedback = download(feedbackObjects, work, "f");
            return join(predictions, feedback, window, limits);
        } finally {
            delete(work);
        }
    }

    /**
     * Joins the records in {@code predictionFiles} and {@code feedbackFiles} for {@code window}.
     *
     * @throws IllegalStateException when DuckDB cannot read the files (named in the message)
     */
    public static Joined join(List<Path> predictionFiles, List<Path> feedbackFiles, JoinWindow window,
                              Limits limits) {
        long start = window.from().toEpochMilli();
        long end = window.to().toEpochMilli();
        long lookback = window.lookback().toEpochMilli();
        try (Connection connection = open();
             Statement sql = connection.createStatement()) {
            if (limits.memoryLimit().isPresent()) {
                sql.execute("SET memory_limit = " + JoinSql.literal(limits.memoryLimit().get()));
                // every query orders what it needs ordered; keeping the files' order costs memory under a limit
                sql.execute("SET preserve_insertion_order = false");
            }
            if (limits.spillFolder().isPresent()) {
                sql.execute("SET temp_directory = " + JoinSql.literal(limits.spillFolder().get().toString()));
            }
            String engine;
            try (ResultSet version = sql.executeQuery("SELECT version()")) {
                version.next();
                engine = "duckdb " + version.getString(1);
            }
            sql.execute("CREATE TEMP TABLE recent AS " + (predictionFiles.isEmpty()
                    ? "SELECT NULL::VARCHAR id, NULL::VARCHAR version, NULL::BIGINT \"time\", NULL::VARCHAR label,"
                    + " NULL::VARCHAR probabilities, NULL::DOUBLE \"value\" WHERE false"
                    : "SELECT id, version, \"time\", label, CAST(probabilities AS VARCHAR) AS probabilities,"
                    + " \"value\" FROM read_json(" + files(predictionFiles) + ", format = 'newline_delimited',"
                    + " columns = " + PREDICTION_COLUMNS + ") WHERE \"time\" >= " + lookback + " AND \"time\" < "
                    + end));
            String feedbackSource = feedbackFiles.isEmpty()
                    ? "(SELECT NULL::VARCHAR id, NULL::VARCHAR label, NULL::DOUBLE \"value\", NULL::BIGINT received"
                    + " WHERE false)"
                    : "read_json(" + files(feedbackFiles) + ", format = 'newline_delimited', columns = "
                    + FEEDBACK_COLUMNS + ")";
            sql.execute("CREATE TEMP VIEW windowed AS SELECT * FROM recent WHERE \"time\" >= " + start);
            String[] bodies = JoinSql.derivedBodies(feedbackSource);
            for (int i = 0; i < bodies.length; i++) {
                sql.execute("CREATE TEMP TABLE " + JoinSql.DERIVED[i] + " AS " + bodies[i]);
            }
            return query(sql, "", start, end, engine);
        } catch (SQLException e) {
            throw new IllegalStateException("joining " + predictionFiles.size() + " prediction record files and "
                    + feedbackFiles.size() + " feedback files failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@link JoinSql}'s two queries, each prefixed with {@code with} (empty when the relations are tables), and
     * assembles their rows; a table {@code recent} (and its view {@code windowed}) is dropped between them, its rows no
     * longer needed.
     */
    static Joined query(Statement sql, String with, long start, long end, String engine) throws SQLException {
        JoinAssembly assembly = new JoinAssembly();
        try (ResultSet summary = sql.executeQuery(with + JoinSql.summary(start, end))) {
            while (summary.next()) {
                assembly.summary(summary.getString(1), summary.getString(2), summary.getLong(3),
                        summary.getLong(4), summary.getLong(5), summary.getString(6));
            }
        }
        // the window's millions of records are no longer needed: the labelled ones are in their own table
        sql.execute("DROP VIEW IF EXISTS windowed");
        sql.execute("DROP TABLE IF EXISTS recent");
        try (ResultSet rows = sql.executeQuery(with + JoinSql.LABELLED_ROWS)) {
            while (rows.next()) {
                assembly.labelled(new JoinAssembly.LabelledRow(rows.getString(1), rows.getString(2),
                        rows.getLong(3), rows.getString(4), rows.getString(5), nullableDouble(rows, 6),
                        rows.getString(7), nullableDouble(rows, 8), rows.getLong(9), rows.getLong(10)));
            }
        }
        return assembly.joined(engine);
    }

    /**
     * An in-memory DuckDB database, from its driver directly: {@code DriverManager} finds only drivers its caller's
     * class loader sees, which a server's request threads (or a shaded jar) need not share.
     */
    static Connection open() throws SQLException {
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        if (connection == null) {
            throw new SQLException("DuckDB's driver refused its own URL");
        }
        return connection;
    }

    private static Double nullableDouble(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    private List<Path> download(List<StoredObject> objects, Path work, String prefix) {
        List<Path> files = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            Path file = work.resolve(prefix + i + PredictionKeys.SUFFIX);
            storage.download(objects.get(i).key(), file);
            files.add(file);
        }
        return files;
    }

    private static String files(List<Path> files) {
        return files.stream().map(file -> JoinSql.literal(file.toAbsolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless; the next container starts with an empty /tmp anyway
        }
    }
}
