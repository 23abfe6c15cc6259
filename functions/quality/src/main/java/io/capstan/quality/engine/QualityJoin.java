package io.capstan.quality.engine;

import io.capstan.quality.Task;
import io.capstan.quality.metrics.LabelledClassification;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.duckdb.DuckDBDriver;

/**
 * Joins a window's prediction records with the ground truth sent for them, in DuckDB in process over the gzipped JSON
 * lines the predict and quality functions write ({@code io.capstan.monitoring.PredictionKeys}).
 *
 * <p>Rules, each counted in {@link Joined#issues()} when it applies:
 * <ul>
 *   <li>A prediction belongs to the window when it was made in {@code [from, to)}; each counts toward its version's
 *       predictions. A labelled id predicted more than once there is measured on its latest prediction (the others
 *       are counted as {@code repeated_prediction_id}); only labelled rows are deduplicated, so a window of millions
 *       of predictions is counted, not sorted.</li>
 *   <li>An id's first label (by the time it was received) stands: a later identical one is a {@code duplicate_id}, a
 *       later different one a {@code conflicting_label}; neither changes a figure (feedback is idempotent per id).</li>
 *   <li>A label received in the window for an id that no prediction made from one window length before {@code from}
 *       up to {@code to} carries is an {@code unknown_id}.</li>
 *   <li>A classifier's label that is none of its classes (the classes its records give probabilities for) is an
 *       {@code unknown_label} and is left out of the figures; a classifier's label for a regressor (or the reverse)
 *       is an {@code invalid_label}.</li>
 * </ul>
 */
public final class QualityJoin {
    private static final String PREDICTION_COLUMNS = "{'id': 'VARCHAR', 'version': 'VARCHAR', 'time': 'BIGINT',"
            + " 'label': 'VARCHAR', 'probabilities': 'JSON', 'value': 'DOUBLE'}";
    private static final String FEEDBACK_COLUMNS = "{'id': 'VARCHAR', 'label': 'VARCHAR', 'value': 'DOUBLE',"
            + " 'received': 'BIGINT'}";

    private QualityJoin() {
    }

    /** One version's labelled predictions. */
    public record JoinedVersion(String version, long predictions, List<LabelledClassification> classified,
                                double[] actual, double[] predicted, double[] delaySeconds) {
        public long labelled() {
            return delaySeconds.length;
        }
    }

    /**
     * @param task     a regressor's records carry values, a classifier's labels
     * @param classes  a classifier's classes, sorted; empty for a regressor
     * @param versions per version with predictions in the window, in version order
     * @param issues   counts of the rules above (only those that occurred)
     * @param engine   the engine and its version
     */
    public record Joined(Task task, List<String> classes, List<JoinedVersion> versions, Map<String, Long> issues,
                         String engine) {
    }

    /**
     * Joins the records in {@code predictionFiles} and {@code feedbackFiles} for the window {@code [from, to)}.
     *
     * @throws IllegalStateException when DuckDB cannot read the files (named in the message)
     */
    public static Joined join(List<Path> predictionFiles, List<Path> feedbackFiles, Instant from, Instant to) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        long lookback = start - (end - start);
        try (Connection connection = open();
             Statement sql = connection.createStatement()) {
            String engine;
            try (ResultSet version = sql.executeQuery("SELECT version()")) {
                version.next();
                engine = "duckdb " + version.getString(1);
            }
            sql.execute("CREATE TEMP TABLE recent AS " + (predictionFiles.isEmpty()
                    ? "SELECT * FROM (SELECT NULL::VARCHAR id, NULL::VARCHAR version, NULL::BIGINT time, NULL::VARCHAR"
                    + " label, NULL::JSON probabilities, NULL::DOUBLE value) WHERE false"
                    : "SELECT * FROM read_json(" + files(predictionFiles) + ", format = 'newline_delimited',"
                    + " columns = " + PREDICTION_COLUMNS + ") WHERE time >= " + lookback + " AND time < " + end));
            sql.execute("CREATE TEMP TABLE feedback_all AS " + (feedbackFiles.isEmpty()
                    ? "SELECT NULL::VARCHAR id, NULL::VARCHAR label, NULL::DOUBLE value, NULL::BIGINT received,"
                    + " 1 rn WHERE false"
                    : "SELECT *, row_number() OVER (PARTITION BY id ORDER BY received, label, value) rn FROM read_json("
                    + files(feedbackFiles) + ", format = 'newline_delimited', columns = " + FEEDBACK_COLUMNS + ")"));
            sql.execute("CREATE TEMP TABLE feedback AS SELECT * FROM feedback_all WHERE rn = 1");
            // only labelled predictions are deduplicated: a window's millions of rows are counted, not sorted
            sql.execute("CREATE TEMP TABLE labelled_all AS SELECT p.*, f.label AS actual_label, f.value AS actual_value,"
                    + " f.received, row_number() OVER (PARTITION BY id ORDER BY p.time DESC, p.version DESC) rn"
                    + " FROM recent p JOIN feedback f USING (id) WHERE p.time >= " + start);
            sql.execute("CREATE TEMP TABLE labelled AS SELECT * FROM labelled_all WHERE rn = 1");

            Map<String, Long> issues = new LinkedHashMap<>();
            count(sql, issues, "repeated_prediction_id", "SELECT count(*) FROM labelled_all WHERE rn > 1");
            count(sql, issues, "duplicate_id", "SELECT count(*) FROM feedback_all later JOIN feedback first USING (id)"
                    + " WHERE later.rn > 1 AND later.label IS NOT DISTINCT FROM first.label"
                    + " AND later.value IS NOT DISTINCT FROM first.value");
            count(sql, issues, "conflicting_label", "SELECT count(*) FROM feedback_all later JOIN feedback first"
                    + " USING (id) WHERE later.rn > 1 AND (later.label IS DISTINCT FROM first.label"
                    + " OR later.value IS DISTINCT FROM first.value)");
            count(sql, issues, "unknown_id", "SELECT count(*) FROM feedback WHERE received >= " + start
                    + " AND received < " + end + " AND id NOT IN (SELECT id FROM recent)");

            Map<String, Long> predicted = new LinkedHashMap<>();
            boolean regression = false;
            boolean classifier = false;
            try (ResultSet counts = sql.executeQuery("SELECT version, count(*), count(label), count(value) FROM recent"
                    + " WHERE time >= " + start + " GROUP BY version ORDER BY try_cast(version AS BIGINT), version")) {
                while (counts.next()) {
                    predicted.put(counts.getString(1), counts.getLong(2));
                    classifier |= counts.getLong(3) > 0;
                    regression |= counts.getLong(4) > 0;
                }
            }
            regression &= !classifier;
            List<String> classes = new ArrayList<>();
            if (!regression) {
                TreeSet<String> sorted = new TreeSet<>();
                // a version's records all carry its classes: one record's keys per version, and every label given
                try (ResultSet keys = sql.executeQuery("SELECT DISTINCT unnest(json_keys(probabilities)) FROM (SELECT"
                        + " version, any_value(probabilities) probabilities FROM recent WHERE time >= " + start
                        + " AND probabilities IS NOT NULL GROUP BY version) UNION SELECT DISTINCT label FROM recent"
                        + " WHERE time >= " + start + " AND label IS NOT NULL")) {
                    while (keys.next()) {
                        sorted.add(keys.getString(1));
                    }
                }
                classes.addAll(sorted);
                sql.execute("CREATE TEMP TABLE classes AS SELECT unnest(" + literalList(classes) + ") AS class");
                count(sql, issues, "unknown_label", "SELECT count(*) FROM labelled WHERE actual_label IS NOT NULL"
                        + " AND actual_label NOT IN (SELECT class FROM classes)");
            }
            sql.execute("DROP TABLE recent");
            count(sql, issues, "invalid_label", "SELECT count(*) FROM labelled WHERE "
                    + (regression ? "actual_value IS NULL" : "actual_label IS NULL"));

            List<JoinedVersion> versions = new ArrayList<>();
            for (Map.Entry<String, Long> version : predicted.entrySet()) {
                versions.add(regression ? regressed(sql, version.getKey(), version.getValue())
                        : classified(sql, version.getKey(), version.getValue(), classes));
            }
            return new Joined(regression ? Task.REGRESSION : Task.CLASSIFICATION, List.copyOf(classes),
                    List.copyOf(versions), issues, engine);
        } catch (SQLException e) {
            throw new IllegalStateException("joining " + predictionFiles.size() + " prediction record files and "
                    + feedbackFiles.size() + " feedback files failed: " + e.getMessage(), e);
        }
    }

    /**
     * An in-memory DuckDB database, from its driver directly: {@code DriverManager} finds only drivers its caller's
     * class loader sees, which a server's request threads (or a shaded jar) need not share.
     */
    private static Connection open() throws SQLException {
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        if (connection == null) {
            throw new SQLException("DuckDB's driver refused its own URL");
        }
        return connection;
    }

    private static JoinedVersion classified(Statement sql, String version, long predictions, List<String> classes)
            throws SQLException {
        String probabilities = classes.stream()
                .map(c -> "TRY_CAST(json_extract(p.probabilities, " + literal(jsonPath(c)) + ") AS DOUBLE)")
                .collect(Collectors.joining(", ", "[", "]"));
        List<LabelledClassification> rows = new ArrayList<>();
        List<Double> delays = new ArrayList<>();
        try (ResultSet joined = sql.executeQuery("SELECT p.actual_label, p.label, " + probabilities + ", (p.received - p.time)"
                + " / 1000.0 FROM labelled p WHERE p.version = " + literal(version)
                + " AND p.actual_label IN (SELECT class FROM classes) ORDER BY p.time, p.id")) {
            while (joined.next()) {
                rows.add(new LabelledClassification(joined.getString(1), joined.getString(2),
                        probabilities(joined.getArray(3))));
                delays.add(joined.getDouble(4));
            }
        }
        return new JoinedVersion(version, predictions, List.copyOf(rows), new double[0], new double[0],
                delays.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static JoinedVersion regressed(Statement sql, String version, long predictions) throws SQLException {
        List<double[]> rows = new ArrayList<>();
        try (ResultSet joined = sql.executeQuery("SELECT p.actual_value, p.value, (p.received - p.time) / 1000.0"
                + " FROM labelled p WHERE p.version = " + literal(version)
                + " AND p.actual_value IS NOT NULL ORDER BY p.time, p.id")) {
            while (joined.next()) {
                rows.add(new double[] {joined.getDouble(1), joined.getDouble(2), joined.getDouble(3)});
            }
        }
        return new JoinedVersion(version, predictions, List.of(), rows.stream().mapToDouble(r -> r[0]).toArray(),
                rows.stream().mapToDouble(r -> r[1]).toArray(), rows.stream().mapToDouble(r -> r[2]).toArray());
    }

    /** A row's probabilities in class order; null when the record had none (a missing class reads as 0). */
    private static double[] probabilities(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        double[] probabilities = new double[values.length];
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
            any |= values[i] != null;
            probabilities[i] = values[i] == null ? 0 : ((Number) values[i]).doubleValue();
        }
        return any ? probabilities : null;
    }

    private static void count(Statement sql, Map<String, Long> issues, String name, String query)
            throws SQLException {
        long count = scalar(sql, query);
        if (count > 0) {
            issues.put(name, count);
        }
    }

    private static long scalar(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String files(List<Path> files) {
        return files.stream().map(file -> literal(file.toAbsolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String literalList(List<String> values) {
        return values.isEmpty() ? "[]::VARCHAR[]" : values.stream().map(QualityJoin::literal)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The JSON path of an object's key, whatever characters the key holds. */
    private static String jsonPath(String key) {
        return "$.\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A SQL string literal: the values come from data (labels, versions), so every quote is doubled. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
