package io.capstan.quality.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * The join in Amazon Athena, over the capture bucket itself, for windows larger than a function holds: the same SQL as
 * {@link DuckDbJoin} ({@link JoinSql}), its three relations defined on the Glue tables the CDK app creates with
 * partition projection ({@code model} injected, {@code dt} by day, {@code hour}), so that a query reads only the
 * model's partitions of the window's days. Two queries run in the workgroup (which enforces its result bucket, its
 * encryption and a limit on the bytes one query scans), the summary and the labelled rows; each result is read from the
 * CSV file Athena writes to the result bucket rather than through {@code GetQueryResults}, which pages 1,000 rows at
 * a time (Athena's CSV quotes every value and leaves a null unquoted and empty, which {@link #CSV} tells apart from an
 * empty string).
 */
public final class AthenaJoin implements JoinEngine {
    /** Athena's result files: a header, every value quoted, a null as an unquoted empty field. */
    static final CSVFormat CSV = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL_NON_NULL).setHeader()
            .setSkipHeaderRecord(true).get();
    /** The predictions table's {@code map<string,double>} as JSON text, in Athena's (Trino's) SQL. */
    private static final String ATHENA_PROBABILITIES = "json_format(CAST(probabilities AS JSON))";
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(2);

    private final AthenaClient athena;
    private final ResultFiles results;
    private final Tables tables;
    private final LongSupplier millisLeft;

    /**
     * Where the records are, as the CDK app names them.
     *
     * @param workgroup   the workgroup the queries run in (it enforces the result location and the scan limit)
     * @param database    the Glue database
     * @param predictions the table of prediction records
     * @param feedback    the table of feedback
     */
    public record Tables(String workgroup, String database, String predictions, String feedback) {
        public Tables {
            for (String name : new String[] {workgroup, database, predictions, feedback}) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("Athena's workgroup, database and tables must be named");
                }
            }
        }
    }

    /** Opens a query's result file at its {@code s3://} location. */
    @FunctionalInterface
    public interface ResultFiles {
        InputStream open(String bucket, String key);
    }

    /**
     * @param millisLeft how long the caller may still wait (a Lambda function's remaining time): a query still
     *                   running 5 seconds before it runs out is stopped, so that Athena bills no more for it
     */
    public AthenaJoin(AthenaClient athena, ResultFiles results, Tables tables, LongSupplier millisLeft) {
        this.athena = Objects.requireNonNull(athena, "athena");
        this.results = Objects.requireNonNull(results, "results");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.millisLeft = Objects.requireNonNull(millisLeft, "millisLeft");
    }

    @Override
    public Joined join(JoinWindow window) {
        long start = window.from().toEpochMilli();
        long end = window.to().toEpochMilli();
        String predictions = table(tables.predictions());
        String with = JoinSql.with(records(predictions, ATHENA_PROBABILITIES, window, window.lookback()),
                records(predictions, ATHENA_PROBABILITIES, window, window.from()),
                feedbackSource(table(tables.feedback()), window));
        JoinAssembly assembly = new JoinAssembly();
        QueryExecution summary = run(with + JoinSql.summary(start, end));
        read(summary, row -> assembly.summary(row.get("kind"), row.get("name"), Long.parseLong(row.get("n")),
                Long.parseLong(row.get("labels")), Long.parseLong(row.get("vals")), row.get("text")));
        QueryExecution labelled = run(with + JoinSql.LABELLED_ROWS);
        read(labelled, row -> assembly.labelled(new JoinAssembly.LabelledRow(row.get("version"), row.get("id"),
                Long.parseLong(row.get("time")), row.get("label"), row.get("probabilities"), number(row.get("value")),
                row.get("actual_label"), number(row.get("actual_value")), Long.parseLong(row.get("received")),
                Long.parseLong(row.get("rn")))));
        return assembly.joined("athena " + labelled.engineVersion().effectiveEngineVersion());
    }

    /**
     * The model's records on the predictions table made from {@code since} to the window's end, reading only their
     * days' partitions: {@code recent} from the look-back, {@code windowed} from the window's start.
     *
     * @param table         the predictions table
     * @param probabilities the expression turning the table's {@code probabilities} into JSON text (Athena's table
     *                      holds a {@code map<string,double>})
     */
    static String records(String table, String probabilities, JoinWindow window, Instant since) {
        return "SELECT id, version, \"time\", label, " + probabilities + " AS probabilities,"
                + " \"value\" FROM " + table + " WHERE model = " + model(window)
                + " AND dt BETWEEN " + JoinSql.literal(WindowObjects.day(since)) + " AND "
                + JoinSql.literal(WindowObjects.day(window.to())) + " AND \"time\" >= " + since.toEpochMilli()
                + " AND \"time\" < " + window.to().toEpochMilli();
    }

    /** The feedback source on {@code table}: the model's partitions of the days from the look-back to now. */
    static String feedbackSource(String table, JoinWindow window) {
        return "(SELECT id, label, \"value\", received FROM " + table + " WHERE model = "
                + model(window) + " AND dt BETWEEN " + JoinSql.literal(WindowObjects.day(window.lookback()))
                + " AND " + JoinSql.literal(WindowObjects.day(window.now())) + ")";
    }

    /** The {@code model} partition's value: the name as the keys hold it, URL-encoded. */
    private static String model(JoinWindow window) {
        return JoinSql.literal(URLEncoder.encode(window.model(), StandardCharsets.UTF_8));
    }

    private String table(String name) {
        return "\"" + tables.database().replace("\"", "\"\"") + "\".\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Runs a query to its end: its execution when it succeeded; else it is stopped and the reason thrown. */
    private QueryExecution run(String query) {
        String id = athena.startQueryExecution(b -> b.queryString(query).workGroup(tables.workgroup())
                .queryExecutionContext(c -> c.database(tables.database()))).queryExecutionId();
        Duration wait = FIRST_POLL;
        while (true) {
            QueryExecution execution = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
            QueryExecutionState state = execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                return execution;
            }
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                throw new IllegalStateException("Athena query " + id + " in workgroup " + tables.workgroup() + " "
                        + state + ": " + execution.status().stateChangeReason());
            }
            if (millisLeft.getAsLong() < wait.toMillis() + 5_000) {
                athena.stopQueryExecution(b -> b.queryExecutionId(id));
                throw new IllegalStateException("Athena query " + id + " was still " + state + " when the function's"
                        + " time ran out; it was stopped (a scheduled check has more time than one through the API)");
            }
            sleep(wait);
            wait = wait.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : wait.multipliedBy(2);
        }
    }

    private void read(QueryExecution execution, Consumer<CSVRecord> each) {
        URI location = URI.create(execution.resultConfiguration().outputLocation());
        try (InputStream file = results.open(location.getHost(), location.getPath().substring(1));
             Reader reader = new InputStreamReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSV.parse(reader)) {
            for (CSVRecord row : parser) {
                each.accept(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading Athena's result " + location, e);
        }
    }

    private static Double number(String text) {
        return text == null ? null : Double.valueOf(text);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Athena", e);
        }
    }
}
