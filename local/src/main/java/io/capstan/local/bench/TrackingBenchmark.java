package io.capstan.local.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A load generator for a tracking server over MLflow's REST API, driven through MLflow's official Java client from
 * one thread on loopback: (a) 10,000 metrics by log-batch in chunks of 1000, (b) 2,000 single log-metric calls,
 * (c) 200 runs created, then searched with a metric filter, (d) get-history of a 10,000-point metric. Works against
 * any MLflow-compatible server, so the same workload can be run against MLflow's own.
 */
@Command(name = "bench-tracking", mixinStandardHelpOptions = true,
        description = "Benchmarks an MLflow-compatible tracking server; prints a line per workload, then one JSON line.")
public final class TrackingBenchmark implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "The server, e.g. http://127.0.0.1:5000")
    private String url;

    @Option(names = "--repeat", defaultValue = "20", description = "Repetitions of each read workload (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed log-metric calls first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrackingBenchmark()).execute(args));
    }

    @Override
    public Integer call() {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("server", url);
        try (MlflowClient client = new MlflowClient(url)) {
            String experimentId = client.createExperiment("bench-" + System.currentTimeMillis());
            String warmupRun = client.createRun(experimentId).getRunId();
            for (int i = 0; i < warmup; i++) {
                client.logMetric(warmupRun, "warmup", i, i, i);
            }

            String batchRun = client.createRun(experimentId).getRunId();
            long start = System.nanoTime();
            for (int chunk = 0; chunk < 10; chunk++) {
                int from = chunk * 1000;
                client.logBatch(batchRun, IntStream.range(from, from + 1000).mapToObj(step -> Metric.newBuilder()
                        .setKey("loss").setValue(1.0 / (step + 1)).setTimestamp(1_700_000_000_000L + step)
                        .setStep(step).build()).toList(), List.of(), List.of());
            }
            double batchSeconds = seconds(System.nanoTime() - start);
            report(results, "log_batch_10k_metrics_s", batchSeconds,
                    "(a) 10,000 metrics by log-batch in chunks of 1000: %.3f s", batchSeconds);

            String singleRun = client.createRun(experimentId).getRunId();
            long[] single = new long[2000];
            for (int i = 0; i < single.length; i++) {
                long t0 = System.nanoTime();
                client.logMetric(singleRun, "acc", i / 2000.0, 1_700_000_000_000L + i, i);
                single[i] = System.nanoTime() - t0;
            }
            Latency logMetric = Latency.of(single);
            results.put("log_metric_ms", logMetric.asMap());
            System.out.printf(Locale.ROOT, "(b) 2,000 single log-metric calls: %s%n", logMetric);

            String searchExperiment = client.createExperiment("bench-search-" + System.currentTimeMillis());
            long[] creates = new long[200];
            for (int i = 0; i < creates.length; i++) {
                long t0 = System.nanoTime();
                String runId = client.createRun(searchExperiment).getRunId();
                creates[i] = System.nanoTime() - t0;
                client.logMetric(runId, "auc", i / 200.0);
            }
            Latency createRun = Latency.of(creates);
            results.put("create_run_ms", createRun.asMap());
            System.out.printf(Locale.ROOT, "(c) 200 runs created: %s%n", createRun);
            int[] matched = new int[1];
            Latency search = Latency.of(repeat, () -> matched[0] = client.searchRuns(List.of(searchExperiment),
                    "metrics.auc >= 0.5", ViewType.ACTIVE_ONLY, 1000, List.of("metrics.auc DESC")).getItems().size());
            if (matched[0] != 100) {
                throw new IllegalStateException("the search found " + matched[0] + " runs, expected 100");
            }
            results.put("search_200_runs_ms", search.asMap());
            System.out.printf(Locale.ROOT, "(c) search over 200 runs (metric filter, 100 match): %s%n", search);

            int[] points = new int[1];
            Latency history = Latency.of(repeat, () -> points[0] = client.getMetricHistory(batchRun, "loss").size());
            if (points[0] != 10_000) {
                throw new IllegalStateException("the history has " + points[0] + " points, expected 10000");
            }
            results.put("history_10k_points_ms", history.asMap());
            System.out.printf(Locale.ROOT, "(d) get-history of a 10,000-point metric: %s%n", history);
        }
        System.out.println(toJson(results));
        return 0;
    }

    private static void report(Map<String, Object> results, String key, double value, String format, Object... args) {
        results.put(key, round(value));
        System.out.printf(Locale.ROOT, format + "%n", args);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static String toJson(Map<String, Object> map) {
        return map.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + (e.getValue() instanceof Map<?, ?> m
                        ? toJson(m.entrySet().stream().collect(Collectors.toMap(x -> (String) x.getKey(),
                                Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)))
                        : e.getValue() instanceof String s ? "\"" + s + "\"" : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Latencies in milliseconds: mean, median, 99th percentile. */
    private record Latency(int count, double meanMs, double p50Ms, double p99Ms) {

        static Latency of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
            return new Latency(sorted.length, mean, percentile(sorted, 0.50), percentile(sorted, 0.99));
        }

        static Latency of(int times, Runnable operation) {
            operation.run(); // warm-up
            long[] nanos = new long[times];
            for (int i = 0; i < times; i++) {
                long t0 = System.nanoTime();
                operation.run();
                nanos[i] = System.nanoTime() - t0;
            }
            return of(nanos);
        }

        private static double percentile(long[] sorted, double p) {
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("n", count);
            map.put("mean", round(meanMs));
            map.put("p50", round(p50Ms));
            map.put("p99", round(p99Ms));
            return map;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d mean %.3f ms, p50 %.3f ms, p99 %.3f ms", count, meanMs, p50Ms, p99Ms);
        }
    }
}
