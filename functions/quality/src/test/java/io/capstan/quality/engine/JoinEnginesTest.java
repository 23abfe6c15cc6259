package io.capstan.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.RouteTable;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.Task;
import io.capstan.quality.function.QualityFunction;
import io.capstan.quality.storage.S3QualityStorage;
import io.capstan.quality.storage.StoredObject;
import io.capstan.quality.testutils.PredictionRecords;
import io.capstan.testing.MutableClock;
import io.capstan.testing.S3ProxyBuckets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join's two engines run one SQL ({@link JoinSql}): DuckDB over downloaded objects with the relations as tables,
 * and Athena's form — every relation in one {@code WITH} clause, the records read through the tables' partition
 * columns {@code model} and {@code dt} — which runs here on DuckDB over the bucket's Hive layout (DuckDB reads the
 * partition columns from the keys as Athena's partition projection does). Both must give the same join, on a window
 * across midnight (two {@code dt} partitions) of a model whose name is URL-encoded in the keys, with every feedback
 * rule at work. What this cannot check: Athena's dialect in the two engine-specific lines (the table's map of
 * probabilities as JSON text), and Athena itself.
 */
class JoinEnginesTest {
    private static final String MODEL = "churn model";
    private static final Instant FROM = Instant.parse("2026-12-01T23:30:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(1));

    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("capture");

    @TempDir
    Path bucketCopy;

    private S3QualityStorage storage;
    private MutableClock clock;

    @BeforeEach
    void newStorage() {
        storage = new S3QualityStorage(s3.client(), s3.bucket());
        clock = new MutableClock(TO.minusSeconds(60));
    }

    @Test
    void athenasFormOfTheSql_joinsAsDuckDbDoes_acrossPartitions() throws Exception {
        List<ObjectNode> before = new ArrayList<>();
        before.add(PredictionRecords.classified("early", "1", FROM.minus(Duration.ofMinutes(40)), "yes", 0.7));
        before.add(PredictionRecords.classified("q3", "2", FROM.minus(Duration.ofMinutes(35)), "yes", 0.7));
        PredictionRecords.write(storage, MODEL, FROM.minus(Duration.ofMinutes(40)), before);
        List<ObjectNode> day1 = new ArrayList<>();
        day1.add(PredictionRecords.classified("p1", "1", FROM.plusSeconds(60), "yes", 0.9));
        day1.add(PredictionRecords.classified("p2", "1", FROM.plusSeconds(120), "no", 0.2));
        day1.add(PredictionRecords.classified("q1", "2", FROM.plusSeconds(180), "yes", 0.8));
        day1.add(PredictionRecords.classified("q3", "2", FROM.plusSeconds(240), "no", 0.3));
        PredictionRecords.write(storage, MODEL, FROM, day1);
        List<ObjectNode> day2 = new ArrayList<>();
        day2.add(PredictionRecords.classified("p3", "1", TO.minusSeconds(600), "yes", 0.6));
        day2.add(PredictionRecords.classified("p4", "1", TO.minusSeconds(500), "no", 0.4));
        day2.add(PredictionRecords.classified("q2", "2", TO.minusSeconds(400), "no", 0.1));
        day2.add(PredictionRecords.classified("q3", "2", TO.minusSeconds(300), "yes", 0.6));
        day2.add(PredictionRecords.classified("late", "2", TO.plusSeconds(1), "yes", 0.6));
        PredictionRecords.write(storage, MODEL, TO.minusSeconds(600), day2);

        QualityFunction function = new QualityFunction(new QualityMonitor(storage, clock), storage, clock,
                RouteTable.capstan());
        feedback(function, "[{\"id\": \"p1\", \"label\": \"yes\"}, {\"id\": \"p2\", \"label\": \"yes\"},"
                + " {\"id\": \"p3\", \"label\": \"yes\"}, {\"id\": \"q1\", \"label\": \"yes\"},"
                + " {\"id\": \"q3\", \"label\": \"no\"}, {\"id\": \"early\", \"label\": \"no\"},"
                + " {\"id\": \"nobody\", \"label\": \"yes\"}, {\"id\": \"p4\", \"label\": \"maybe\"}]");
        clock.advance(Duration.ofSeconds(120));
        feedback(function, "[{\"id\": \"p1\", \"label\": \"yes\"}, {\"id\": \"q1\", \"label\": \"no\"}]");
        JoinWindow window = new JoinWindow(MODEL, FROM.minus(Duration.ofHours(1)), FROM, TO, clock.instant());

        Joined duckDb = new DuckDbJoin(storage).join(window);
        Joined athenasSql = athenasSqlOnDuckDb(window);

        assertThat(duckDb.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(duckDb.classes()).containsExactly("no", "yes");
        assertThat(duckDb.versions()).extracting(JoinedVersion::version, JoinedVersion::predictions,
                JoinedVersion::labelled).containsExactly(
                        tuple("1", 4L, 3L),
                        tuple("2", 4L, 2L));
        assertThat(duckDb.issues()).containsExactly(Map.entry("repeated_prediction_id", 1L),
                Map.entry("duplicate_id", 1L), Map.entry("conflicting_label", 1L), Map.entry("unknown_id", 1L),
                Map.entry("unknown_label", 1L));
        assertThat(athenasSql).usingRecursiveComparison().ignoringFields("engine").isEqualTo(duckDb);
    }

    @Test
    void aRegressorsJoin_isTheSameInBothForms() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ObjectNode record = PredictionRecords.classified("r" + i, i < 3 ? "4" : "5", FROM.plusSeconds(60L * i),
                    "x", 0.5);
            record.remove("label");
            record.remove("probabilities");
            record.put("value", 10.0 + i);
            records.add(record);
        }
        PredictionRecords.write(storage, MODEL, FROM, records);
        QualityFunction function = new QualityFunction(new QualityMonitor(storage, clock), storage, clock,
                RouteTable.capstan());
        feedback(function, "[{\"id\": \"r0\", \"value\": 11.5}, {\"id\": \"r1\", \"value\": 9},"
                + " {\"id\": \"r4\", \"value\": 14.25}, {\"id\": \"r5\", \"label\": \"big\"}]");
        JoinWindow window = new JoinWindow(MODEL, FROM.minus(Duration.ofHours(1)), FROM, TO, TO);

        Joined duckDb = new DuckDbJoin(storage).join(window);

        assertThat(duckDb.task()).isEqualTo(Task.REGRESSION);
        assertThat(duckDb.versions().get(0).actual()).containsExactly(11.5, 9.0);
        assertThat(duckDb.versions().get(1).predicted()).containsExactly(14.0);
        assertThat(duckDb.issues()).containsEntry("invalid_label", 1L);
        assertThat(athenasSqlOnDuckDb(window)).usingRecursiveComparison().ignoringFields("engine").isEqualTo(duckDb);
    }

    @Test
    void theChoice_goesToTheLargeEngine_onlyAboveItsLimit_andOnlyWhenThereIsOne() {
        PredictionRecords.write(storage, MODEL, FROM, List.of(
                PredictionRecords.classified("p1", "1", FROM.plusSeconds(1), "yes", 0.9)));
        JoinWindow window = new JoinWindow(MODEL, FROM.minus(Duration.ofHours(1)), FROM, TO, TO);
        long bytes = WindowObjects.bytes(WindowObjects.predictions(storage, window));
        assertThat(bytes).isPositive();
        DuckDbJoin embedded = new DuckDbJoin(storage);
        JoinEngine large = new DuckDbJoin(storage, new DuckDbJoin.Limits(Optional.of("100MB"), Optional.empty()));

        assertThat(new JoinEngineChoice(storage, embedded, Optional.of(large), bytes).engineFor(bytes))
                .isSameAs(embedded);
        assertThat(new JoinEngineChoice(storage, embedded, Optional.of(large), bytes - 1).engineFor(bytes))
                .isSameAs(large);
        assertThat(new JoinEngineChoice(storage, embedded, Optional.empty(), 0).engineFor(bytes))
                .isSameAs(embedded);
        assertThat(new JoinEngineChoice(storage, embedded, Optional.of(large), 0).join(window).versions())
                .hasSize(1);
    }

    /**
     * The queries {@link AthenaJoin} sends, with DuckDB's reader of the bucket's Hive layout as the tables and its
     * cast as the probabilities' conversion.
     */
    private Joined athenasSqlOnDuckDb(JoinWindow window) throws Exception {
        for (String prefix : List.of("predictions/", "feedback/")) {
            for (StoredObject object : storage.objects(prefix)) {
                Path file = bucketCopy.resolve(object.key());
                Files.createDirectories(file.getParent());
                storage.download(object.key(), file);
            }
        }
        String predictions = "read_json(" + JoinSql.literal(bucketCopy + "/predictions/**/*" + PredictionKeys.SUFFIX)
                + ", format = 'newline_delimited', hive_partitioning = true, hive_types_autocast = false, columns ="
                + " {'id': 'VARCHAR', 'version': 'VARCHAR', 'time': 'BIGINT', 'label': 'VARCHAR', 'probabilities':"
                + " 'JSON', 'value': 'DOUBLE'})";
        String feedback = "read_json(" + JoinSql.literal(bucketCopy + "/feedback/**/*" + PredictionKeys.SUFFIX)
                + ", format = 'newline_delimited', hive_partitioning = true, hive_types_autocast = false, columns ="
                + " {'id': 'VARCHAR', 'label': 'VARCHAR', 'value': 'DOUBLE', 'received': 'BIGINT'})";
        long start = window.from().toEpochMilli();
        String with = JoinSql.with(AthenaJoin.records(predictions, "CAST(probabilities AS VARCHAR)", window,
                window.lookback()), AthenaJoin.records(predictions, "CAST(probabilities AS VARCHAR)", window,
                window.from()),
                AthenaJoin.feedbackSource(feedback, window));
        try (Connection connection = DuckDbJoin.open();
             Statement sql = connection.createStatement()) {
            return DuckDbJoin.query(sql, with, start, window.to().toEpochMilli(), "athena's sql on duckdb");
        }
    }

    private static void feedback(QualityFunction function, String labels) {
        var response = function.apply(new HttpRequest("POST", "/models/" + MODEL + "/feedback", Map.of(),
                Map.of("content-type", "application/json"), ("{\"labels\": " + labels + "}")
                .getBytes(StandardCharsets.UTF_8), "ada@example.com"));
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
    }
}
