package io.capstan.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.demo.DemoData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A load generator for the prediction routes over loopback: a fixed number of requests from a fixed number of
 * client threads, each waiting for its answer before sending the next (closed loop), through MLflow's scoring
 * protocol ({@code /models/{name}/invocations}, {@code dataframe_split}) or the Open Inference Protocol
 * ({@code /v2/models/{name}/infer}: one FP32 tensor, named and ordered as the model's metadata says). Request bodies
 * are built before timing starts from the rows of a CSV file. Prints the latency percentiles and the throughput, then one JSON line; exits 1 if any request failed.
 */
@Command(name = "bench-predict", mixinStandardHelpOptions = true,
        description = "Measures prediction latency and throughput end to end; prints percentiles and one JSON line.")
public final class PredictLoadGenerator implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DISTINCT_BODIES = 256;

    @Option(names = "--url", required = true, description = "The platform, e.g. http://127.0.0.1:5000")
    private String url;

    @Option(names = "--model", required = true, description = "The served model: name, name@alias or name@vN")
    private String model;

    @Option(names = "--data", required = true,
            description = "CSV with a header and a 'label' column (left out): the feature rows to send")
    private Path data;

    @Option(names = "--protocol", defaultValue = "mlflow", description = "mlflow or oip (default: ${DEFAULT-VALUE})")
    private String protocol;

    @Option(names = "--batch", defaultValue = "1", description = "Rows per request (default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--requests", defaultValue = "20000", description = "Timed requests (default: ${DEFAULT-VALUE})")
    private int requests;

    @Option(names = "--warmup", defaultValue = "5000", description = "Untimed requests first (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--concurrency", defaultValue = "1", description = "Client threads (default: ${DEFAULT-VALUE})")
    private int concurrency;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PredictLoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!protocol.equals("mlflow") && !protocol.equals("oip")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--protocol must be mlflow or oip");
        }
        DemoData dataset = DemoData.read(data);
        URI target = URI.create(url + (protocol.equals("mlflow") ? "/models/" + model + "/invocations"
                : "/v2/models/" + model + "/infer"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonNode metadata = metadata(http);
        String inputTensor = metadata.at("/inputs/0/name").asText();
        List<String> order = new ArrayList<>();
        metadata.at("/parameters/feature_columns").forEach(c -> order.add(c.asText()));
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < DISTINCT_BODIES; b++) {
            List<double[]> rows = new ArrayList<>(batch);
            for (int r = 0; r < batch; r++) {
                rows.add(dataset.rows().get((b * batch + r) % dataset.rows().size()));
            }
            String body = protocol.equals("mlflow") ? dataset.dataframeSplit(rows)
                    : dataset.inferRequest("bench-" + b, inputTensor, order, rows);
            bodies.add(body.getBytes(StandardCharsets.UTF_8));
        }
        AtomicInteger failures = new AtomicInteger();
        System.out.printf(Locale.ROOT, "warming up: %d requests%n", warmup);
        run(http, target, bodies, warmup, failures);
        System.out.printf(Locale.ROOT, "measuring: %d requests of %d row(s), %d client thread(s), %s protocol%n",
                requests, batch, concurrency, protocol);
        long start = System.nanoTime();
        long[] latencies = run(http, target, bodies, requests, failures);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", target.toString());
        result.put("batch", batch);
        result.put("concurrency", concurrency);
        result.put("requests", requests);
        result.put("failures", failures.get());
        result.put("p50_ms", millis(latencies, 0.50));
        result.put("p90_ms", millis(latencies, 0.90));
        result.put("p99_ms", millis(latencies, 0.99));
        result.put("p999_ms", millis(latencies, 0.999));
        result.put("max_ms", latencies[latencies.length - 1] / 1e6);
        result.put("requests_per_second", Math.round(requests / seconds));
        result.put("rows_per_second", Math.round(requests * (double) batch / seconds));
        System.out.printf(Locale.ROOT, "p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
                result.get("p50_ms"), result.get("p90_ms"), result.get("p99_ms"), result.get("p999_ms"),
                result.get("max_ms"));
        System.out.printf(Locale.ROOT, "%d requests/s, %d rows/s, %d failed%n", result.get("requests_per_second"),
                result.get("rows_per_second"), failures.get());
        System.out.println(JSON.writeValueAsString(result));
        return failures.get() == 0 ? 0 : 1;
    }

    /** Sends {@code count} requests from the client threads; returns each one's latency in nanoseconds. */
    private long[] run(HttpClient http, URI target, List<byte[]> bodies, int count, AtomicInteger failures)
            throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(target).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size()))).build();
                        long sent = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        latencies[i] = System.nanoTime() - sent;
                        if (response.statusCode() != 200 && failures.getAndIncrement() == 0) {
                            System.err.println("request failed: " + response.statusCode() + " "
                                    + new String(response.body(), StandardCharsets.UTF_8));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return latencies;
    }

    /** The model's Open Inference Protocol metadata: its input tensor and feature order. */
    private JsonNode metadata(HttpClient http) throws Exception {
        HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(url + "/v2/models/" + model))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (metadata.statusCode() != 200) {
            throw new IllegalStateException("model metadata: " + metadata.statusCode() + " " + metadata.body());
        }
        return JSON.readTree(metadata.body());
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
