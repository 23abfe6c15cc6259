package io.capstan.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.LocalPlatform;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.dynamodb.DynamoDbUsage;
import io.capstan.store.dynamodb.MeteredDynamoDbClient;
import io.capstan.store.dynamodb.SearchedKeyTiming;
import io.capstan.store.dynamodb.internal.ItemSizes;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.ViewType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Run searches on the Lambda path, measured here: the embedded platform in Lambda-path mode (no run cache, every
 * request as a cold container) on DynamoDB Local, experiments of each size written straight through the tracking
 * service (the same runs as scripts/bench/search_mlflow.py writes into MLflow's SQLite store), then each query shape
 * sent over MLflow's REST API on loopback: latency, and the items, bytes and read units each search read, against
 * the bytes of the runs it returned. Also the write units of create-run and log-batch, and how many index items
 * they wrote.
 */
@Command(name = "bench-search", mixinStandardHelpOptions = true,
        description = "Benchmarks runs/search on the Lambda path; prints a line per size and query, then writes JSON.")
public final class SearchBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Held so the level set on it is not lost: java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger SQLITE_LOG =
            java.util.logging.Logger.getLogger("com.almworks.sqlite4java");
    private static final long EPOCH = 1_700_000_000_000L;
    private static final String[] TEAMS = {"x", "y", "z", "w"};
    private static final String[] OPTIMIZERS = {"adam", "sgd", "rmsprop"};
    /** Query shape, its filter and its order_by. */
    private static final Map<String, String[]> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("default", new String[] {"", ""});
        QUERIES.put("status", new String[] {"attributes.status = 'FAILED'", ""});
        QUERIES.put("param_eq", new String[] {"params.p = 'v7'", ""});
        QUERIES.put("tag_eq", new String[] {"tags.team = 'x'", ""});
        QUERIES.put("run_name_eq", new String[] {"attributes.run_name = 'run-77'", ""});
        QUERIES.put("top_metric", new String[] {"", "metrics.acc DESC"});
    }

    @Option(names = "--sizes", defaultValue = "1000,10000,100000", split = ",",
            description = "Runs per experiment, one experiment each (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--repeat", defaultValue = "20", description = "Timed searches per query (default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Option(names = "--full-scan-repeat", defaultValue = "3",
            description = "Timed searches per query that reads the whole experiment (default: ${DEFAULT-VALUE}).")
    private int fullScanRepeat;

    @Option(names = "--out", description = "Where to write the JSON results.")
    private Path out;

    public static void main(String[] args) {
        SQLITE_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(new CommandLine(new SearchBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = Files.createTempDirectory("capstan-bench-search");
        System.setProperty(LocalPlatform.LAMBDA_PATH_PROPERTY, "true");
        ObjectNode results = JSON.createObjectNode();
        results.put("server", "capstan local, Lambda path (no run cache, cold stores per request), DynamoDB Local");
        results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel());
        results.put("date", Instant.now().toString());
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0, line -> { })) {
            DynamoDbClient dynamoDb = platform.engines().dynamoDbClient();
            String table = platform.engines().tableName();
            TrackingService writer = DynamoDbTracking.service(dynamoDb, table, Clock.systemUTC());
            ObjectNode writes = results.putObject("writes");
            writes.set("no_key_searched", writeCosts(dynamoDb, table, false));
            writes.set("every_key_searched", writeCosts(dynamoDb, table, true));
            ObjectNode bySize = results.putObject("results");
            HttpClient http = HttpClient.newHttpClient();
            for (int size : sizes) {
                String experimentId = writer.createExperiment("search-" + size, null, Map.of());
                long start = System.nanoTime();
                populate(writer, experimentId, size);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%,d runs written in %.0f s%n", size, seconds);
                ObjectNode queries = bySize.putObject(Integer.toString(size));
                queries.put("populate_seconds", Math.round(seconds));
                queries.put("index_searched_keys_seconds", indexSearchedKeys(http, platform.url(), writer,
                        experimentId));
                for (Map.Entry<String, String[]> query : QUERIES.entrySet()) {
                    queries.set(query.getKey(), measure(http, platform.url(), dynamoDb, table, experimentId, size,
                            query.getKey(), query.getValue()[0], query.getValue()[1]));
                }
            }
        } finally {
            deleteTree(dataDir);
        }
        if (out != null) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
            System.out.println("Results in " + out);
        }
        return 0;
    }

    /**
     * Asks for the keys the queries name (a search each: the first search by a param, tag or the run name in an
     * experiment), waits out the grace ({@link SearchedKeyTiming#DEFAULT}) and indexes the runs written before, as
     * the deploy's maintenance task or the next searches would.
     *
     * @return the seconds the indexing took
     */
    private static double indexSearchedKeys(HttpClient http, URI url, TrackingService writer, String experimentId)
            throws Exception {
        for (String[] query : QUERIES.values()) {
            search(http, url, experimentId, query[0], query[1]);
        }
        Duration grace = SearchedKeyTiming.DEFAULT.grace().plusSeconds(1);
        System.out.printf(Locale.ROOT, "  keys asked for; indexing them after the grace (%d s)%n", grace.toSeconds());
        Thread.sleep(grace.toMillis());
        long start = System.nanoTime();
        if (!writer.prepareRunSearch(Duration.ofHours(1)).done()) {
            throw new IllegalStateException("the searched keys of experiment " + experimentId + " are not indexed");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  the runs indexed by the keys asked for in %.1f s%n", seconds);
        return seconds;
    }

    /** Run {@code i} as search_mlflow.py writes it: status, 6 params, 2 user tags, 3 metrics. */
    private static void populate(TrackingService writer, String experimentId, int size) throws Exception {
        AtomicLong done = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int part = 0; part < 2; part++) {
                int first = part;
                parts.add(threads.submit(() -> {
                    for (int i = first; i < size; i += 2) {
                        writeRun(writer, experimentId, i);
                        long n = done.incrementAndGet();
                        if (n % 10_000 == 0) {
                            System.out.printf(Locale.ROOT, "  %,d of %,d runs written%n", n, size);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Run writeRun(TrackingService writer, String experimentId, int i) {
        long start = EPOCH + i * 1000L;
        Run run = writer.createRun(experimentId, "bench", "run-" + i, start, Map.of("team", TEAMS[i % 4]));
        String id = run.info().runId();
        double acc = ((i * 7919L) % 10_000) / 10_000.0;
        writer.logBatch(id, List.of(new Metric("acc", acc, start, 0), new Metric("loss", 1 - acc, start, 0),
                new Metric("f1", acc * 0.9, start, 0)), List.of(new SimpleEntry<>("lr", Double.toString(i % 10 / 100.0)),
                new SimpleEntry<>("batch", Integer.toString(1 << (i % 6))), new SimpleEntry<>("layers",
                        Integer.toString(i % 4)), new SimpleEntry<>("optimizer", OPTIMIZERS[i % 3]),
                new SimpleEntry<>("p", "v" + i % 50), new SimpleEntry<>("seed", Integer.toString(i))), List.of());
        if (i % 20 != 2) {
            writer.updateRun(id, i % 20 == 1 ? RunStatus.FAILED : RunStatus.FINISHED, start + 500, null);
        }
        return run;
    }

    /**
     * Write units of create-run, a metrics-only log-batch (a new metric, then a new value of it) and a log-batch of 6
     * params, over 200 runs each, and the part of them the run index costs: each index item put is one unit (they are
     * under 1 KB, written outside the transaction), each index item deleted two (in the transaction). With
     * {@code keysSearched}, a search has asked for every param, the tag and the run name first, so each is indexed.
     */
    private static ObjectNode writeCosts(DynamoDbClient dynamoDb, String table, boolean keysSearched) {
        TrackingService metered = DynamoDbTracking.service(new MeteredDynamoDbClient(dynamoDb), table,
                Clock.systemUTC());
        String experimentId = metered.createExperiment("search-writes" + (keysSearched ? "-keys" : ""), null,
                Map.of());
        if (keysSearched) {
            metered.searchRuns(List.of(experimentId), "params.lr = '0' and params.batch = '0' and params.layers = '0'"
                    + " and params.optimizer = '0' and params.p = '0' and params.seed = '0' and tags.team = '0'"
                    + " and attributes.run_name = '0'", ViewType.ALL, 1, List.of(), null);
        }
        DynamoDbUsage create = DynamoDbUsage.NONE;
        DynamoDbUsage firstMetric = DynamoDbUsage.NONE;
        DynamoDbUsage nextMetric = DynamoDbUsage.NONE;
        DynamoDbUsage params = DynamoDbUsage.NONE;
        int runs = 200;
        for (int i = 0; i < runs; i++) {
            int n = i;
            var created = DynamoDbUsage.measure(() -> metered.createRun(experimentId, "bench", "w-" + n,
                    EPOCH + n, Map.of("team", TEAMS[n % 4])));
            create = create.plus(created.usage());
            String id = created.result().info().runId();
            firstMetric = firstMetric.plus(DynamoDbUsage.measure(() -> {
                metered.logBatch(id, List.of(new Metric("acc", 0.5, EPOCH, 0)), List.of(), List.of());
                return null;
            }).usage());
            nextMetric = nextMetric.plus(DynamoDbUsage.measure(() -> {
                metered.logBatch(id, List.of(new Metric("acc", 0.6, EPOCH + 1, 1)), List.of(), List.of());
                return null;
            }).usage());
            params = params.plus(DynamoDbUsage.measure(() -> {
                metered.logBatch(id, List.of(), List.of(new SimpleEntry<>("lr", "0.01"), new SimpleEntry<>("batch",
                        "32"), new SimpleEntry<>("layers", "2"), new SimpleEntry<>("optimizer", "adam"),
                        new SimpleEntry<>("p", "v1"), new SimpleEntry<>("seed", Integer.toString(n))), List.of());
                return null;
            }).usage());
        }
        ObjectNode writes = JSON.createObjectNode();
        // create-run: ALL and S#RUNNING items (and the team tag's and the run name's when searched for); a new metric:
        // its value's item; a new value: its item put and the old one deleted; 6 params: one item each when searched
        writes.set("create_run", perCall(create, runs, keysSearched ? 4 : 2, 0));
        writes.set("log_batch_new_metric", perCall(firstMetric, runs, 1, 0));
        writes.set("log_batch_next_value", perCall(nextMetric, runs, 1, 1));
        writes.set("log_batch_6_params", perCall(params, runs, keysSearched ? 6 : 0, 0));
        System.out.println(keysSearched ? "Every param, the tag and the run name searched for:"
                : "No param, tag or run name searched for:");
        writes.forEachEntry((name, cost) -> System.out.printf(Locale.ROOT,
                "  %-22s %.1f WCU a call, %.0f of them for the index (without it: %.1f)%n", name,
                cost.get("wcu").asDouble(), cost.get("index_wcu").asDouble(), cost.get("wcu_without_index")
                        .asDouble()));
        return writes;
    }

    private static ObjectNode perCall(DynamoDbUsage usage, int calls, int indexPuts, int indexDeletes) {
        ObjectNode cost = JSON.createObjectNode();
        double wcu = usage.writeUnits() / calls;
        int indexUnits = indexPuts + 2 * indexDeletes;
        cost.put("wcu", wcu);
        cost.put("calls", (double) usage.calls() / calls);
        cost.put("index_wcu", indexUnits);
        cost.put("wcu_without_index", wcu - indexUnits);
        return cost;
    }

    private ObjectNode measure(HttpClient http, URI url, DynamoDbClient dynamoDb, String table, String experimentId,
                               int size, String name, String filter, String orderBy) throws Exception {
        HttpRequest request = searchRequest(url, experimentId, filter, orderBy);
        boolean fullScan = !orderBy.isEmpty();
        int times = fullScan ? fullScanRepeat : repeat;
        long[] nanos = new long[times];
        Map<String, Double> usage = Map.of();
        JsonNode answer = null;
        for (int i = -1; i < times; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long elapsed = System.nanoTime() - t0;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(name + " answered " + response.statusCode() + ": " + response.body());
            }
            if (i >= 0) {
                nanos[i] = elapsed;
            }
            answer = JSON.readTree(response.body());
            usage = parse(response.headers().firstValue(LocalPlatform.USAGE_HEADER).orElse(""));
        }
        int runs = answer.path("runs").size();
        List<String> names = new ArrayList<>();
        answer.path("runs").forEach(run -> names.add(run.path("info").path("run_name").asText()));
        List<String> expected = expectedNames(name, size);
        if (!names.equals(expected)) {
            throw new IllegalStateException(name + " at " + size + " runs returned " + names.subList(0,
                    Math.min(5, names.size())) + "…, expected " + expected.subList(0, Math.min(5, expected.size()))
                    + "…");
        }
        long returnedBytes = 0;
        for (JsonNode run : answer.path("runs")) {
            returnedBytes += ItemSizes.of(dynamoDb.getItem(b -> b.tableName(table).key(Map.of(
                    "pk", AttributeValue.fromS("EXP#" + experimentId),
                    "sk", AttributeValue.fromS("RUN#" + run.path("info").path("run_id").asText())))).item());
        }
        Arrays.sort(nanos);
        ObjectNode result = JSON.createObjectNode();
        result.put("p50_ms", nanos[times / 2] / 1e6);
        result.put("p90_ms", nanos[Math.min(times - 1, (int) Math.ceil(times * 0.9) - 1)] / 1e6);
        result.put("runs", runs);
        result.put("items_read", usage.getOrDefault("items_read", 0.0));
        result.put("bytes_read", usage.getOrDefault("bytes_read", 0.0));
        result.put("rcu", usage.getOrDefault("rcu", 0.0));
        result.put("calls", usage.getOrDefault("calls", 0.0));
        result.put("bytes_returned", returnedBytes);
        result.put("read_per_returned", returnedBytes == 0 ? 0 : usage.getOrDefault("bytes_read", 0.0) / returnedBytes);
        System.out.printf(Locale.ROOT, "%,8d runs  %-11s p50 %8.1f ms  p90 %8.1f ms  %3d runs  %,9.0f items  %,12.0f "
                        + "bytes read (%.2f x returned)  %,8.1f RCU%n", size, name, result.get("p50_ms").asDouble(),
                result.get("p90_ms").asDouble(), runs, result.get("items_read").asDouble(),
                result.get("bytes_read").asDouble(), result.get("read_per_returned").asDouble(),
                result.get("rcu").asDouble());
        return result;
    }

    /** A runs/search of the experiment's first 100 runs. */
    private static HttpRequest searchRequest(URI url, String experimentId, String filter, String orderBy) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("experiment_ids").add(experimentId);
        body.put("max_results", 100);
        body.put("filter", filter);
        if (!orderBy.isEmpty()) {
            body.putArray("order_by").add(orderBy);
        }
        return HttpRequest.newBuilder(url.resolve("/api/2.0/mlflow/runs/search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private static void search(HttpClient http, URI url, String experimentId, String filter, String orderBy)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(searchRequest(url, experimentId, filter, orderBy),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("runs/search answered " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * The runs MLflow's SQL store returns for {@code query} on the runs {@link #writeRun} writes (checked against a
     * stock server by search_mlflow.py's data): newest first, or by {@code acc} descending, then newest first.
     */
    static List<String> expectedNames(String query, int size) {
        IntStream runs = IntStream.range(0, size);
        IntStream selected = switch (query) {
            case "status" -> runs.filter(i -> i % 20 == 1);
            case "param_eq" -> runs.filter(i -> i % 50 == 7);
            case "tag_eq" -> runs.filter(i -> i % 4 == 0);
            case "run_name_eq" -> runs.filter(i -> i == 77);
            default -> runs;
        };
        Comparator<Integer> order = Comparator.reverseOrder();
        if (query.equals("top_metric")) {
            order = Comparator.<Integer>comparingLong(i -> (i * 7919L) % 10_000).reversed()
                    .thenComparing(Comparator.reverseOrder());
        }
        return selected.boxed().sorted(order).limit(100).map(i -> "run-" + i).toList();
    }

    private static Map<String, Double> parse(String header) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String part : header.split(";")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2) {
                values.put(pair[0], Double.parseDouble(pair[1]));
            }
        }
        return values;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
