package io.capstan.quality.bench;

import io.capstan.quality.engine.DuckDbJoin;
import io.capstan.quality.engine.JoinWindow;
import io.capstan.quality.engine.Joined;
import io.capstan.quality.engine.JoinedVersion;
import io.capstan.quality.metrics.ClassificationMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;

/**
 * The quality check's join at scale (never run by {@code mvn verify}): {@code predictions} prediction records of two
 * versions over a day, as the predict function writes them (gzipped JSON lines, {@code files} objects), and
 * {@code labels} labels for some of them (10 objects, plus 1% duplicates and 0.1% unknown ids), joined by
 * {@link DuckDbJoin} (under DuckDB's {@code memory_limit} when one is given, spilling to a folder whose largest size
 * is printed, as in a Lambda function) and measured per version by {@link ClassificationMetrics}; each pass is timed from the files on
 * disk to the figures, and the JVM's and DuckDB's peak memory are printed.
 *
 * <p>Usage: {@code java ... QualityJoinBenchmark [predictions=10000000] [labels=1000000] [files=100] [passes=3] [memoryLimit]}
 * ({@code functions/quality/bench/run-join-benchmark.sh} builds the class path).
 */
public final class QualityJoinBenchmark {
    private static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");

    private QualityJoinBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long predictions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long labels = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        int files = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path work = Files.createTempDirectory("capstan-join-bench-");
        Path spill = work.resolve("spill");
        DuckDbJoin.Limits limits = args.length > 4 ? new DuckDbJoin.Limits(Optional.of(args[4]), Optional.of(spill))
                : DuckDbJoin.Limits.DEFAULT;
        AtomicLong spilled = new AtomicLong();
        Thread spillWatch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                spilled.accumulateAndGet(size(spill), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        spillWatch.setDaemon(true);
        spillWatch.start();
        try {
            long started = System.nanoTime();
            List<Path> predicted = write(work.resolve("p"), files, predictionsQuery(predictions), limits);
            List<Path> labelled = write(work.resolve("f"), 10, labelsQuery(predictions, labels), limits);
            System.out.printf(Locale.ROOT, "wrote %,d prediction records in %d files (%,d bytes) and %,d labels in %d"
                    + " files (%,d bytes) in %.1f s%n", predictions, predicted.size(), bytes(predicted), labels,
                    labelled.size(), bytes(labelled), (System.nanoTime() - started) / 1e9);
            for (int pass = 1; pass <= passes; pass++) {
                long start = System.nanoTime();
                Joined joined = DuckDbJoin.join(predicted, labelled, new JoinWindow("bench", DAY.minusSeconds(86_400),
                        DAY, DAY.plusSeconds(86_400), DAY.plusSeconds(86_400)), limits);
                long joinedAt = System.nanoTime();
                StringBuilder figures = new StringBuilder();
                for (JoinedVersion version : joined.versions()) {
                    double accuracy = ClassificationMetrics.of(joined.classes(), version.classified()).accuracy();
                    figures.append(String.format(Locale.ROOT, " v%s: %,d predictions, %,d labelled, accuracy %.4f;",
                            version.version(), version.predictions(), version.labelled(), accuracy));
                }
                long done = System.nanoTime();
                System.out.printf(Locale.ROOT, "pass %d: join %.2f s, metrics %.2f s, total %.2f s;%s issues %s;"
                        + " JVM heap used %,d MB; DuckDB spilled at most %,d MB%n", pass, (joinedAt - start) / 1e9,
                        (done - joinedAt) / 1e9, (done - start) / 1e9, figures, joined.issues(),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                        spilled.getAndSet(0) >> 20);
            }
        } finally {
            spillWatch.interrupt();
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Records of versions 1 and 2 (half each) over the day, as the predict function writes them: a generated id (24
     * hex digits, a dash, the row), labels yes/no and the probabilities of both, full doubles.
     */
    private static String predictionsQuery(long rows) {
        return "SELECT " + id("i") + " AS id, CAST(1 + i % 2 AS VARCHAR) AS version, " + DAY.toEpochMilli()
                + " + (i * 86399999) // " + rows + " AS time, CASE WHEN p >= 0.5 THEN 'yes' ELSE 'no' END AS label,"
                + " {'no': 1 - p, 'yes': p} AS probabilities FROM (SELECT i, random() AS p FROM range(" + rows
                + ") t(i))";
    }

    private static String id(String row) {
        return "substr(md5(CAST(" + row + " // 10 AS VARCHAR)), 1, 24) || '-' || CAST(" + row + " % 10 AS VARCHAR)";
    }

    /** Labels for every (predictions / labels)-th record (both versions alike), 1% sent twice and 0.1% for ids never predicted. */
    private static String labelsQuery(long predictions, long labels) {
        long step = Math.max(1, predictions / labels);
        return "SELECT " + id("(i * " + step + " + i % 2)") + " AS id, CASE WHEN hash(i * 7) % 100 < 55 THEN 'yes' ELSE 'no' END"
                + " AS label, " + (DAY.toEpochMilli() + 86_400_000L) + " + i AS received FROM range(" + labels + ")"
                + " t(i) UNION ALL SELECT " + id("(i * " + step + " + i % 2)") + ", 'yes', " + (DAY.toEpochMilli() + 90_000_000L)
                + " FROM range(" + labels / 100 + ") t(i) UNION ALL SELECT 'nobody-' || i, 'no', "
                + (DAY.toEpochMilli() + 3_600_000L) + " FROM range(" + labels / 1000 + ") t(i)";
    }

    /** Writes the query's rows as gzipped JSON lines, split into about {@code files} objects, under DuckDB's limit. */
    private static List<Path> write(Path folder, int files, String query, DuckDbJoin.Limits limits)
            throws SQLException, IOException {
        Files.createDirectories(folder);
        try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
             Statement sql = connection.createStatement()) {
            // generated under the join's limit too, so that the process's peak memory is the join's
            if (limits.memoryLimit().isPresent()) {
                sql.execute("SET memory_limit = '" + limits.memoryLimit().get() + "'");
                sql.execute("SET preserve_insertion_order = false");
            }
            sql.execute("COPY (SELECT *, hash(id) % " + files + " AS part FROM (" + query + ")) TO '" + folder
                    + "' (FORMAT json, COMPRESSION gzip, PARTITION_BY (part), WRITE_PARTITION_COLUMNS false,"
                    + " OVERWRITE_OR_IGNORE true)");
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The bytes in the files under {@code folder}, 0 when it does not exist (yet). */
    private static long size(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static long bytes(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }
}
