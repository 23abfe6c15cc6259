package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/** Eight MLflow clients writing to one run at the same time, through the local gateway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentTrackingTest {

    private static final int CLIENTS = 8;

    private LocalPlatform platform;
    private ExecutorService pool;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        platform = LocalPlatform.start(dataDir, 0);
        pool = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
        platform.close();
    }

    @Test
    void logParam_eightClientsSameKeyDifferentValues_oneStoredOthersInvalidParameterValue() throws Exception {
        String runId = newRun("concurrent-params");
        CyclicBarrier together = new CyclicBarrier(CLIENTS);

        List<Integer> statuses = runAll((client, index) -> {
            together.await();
            try {
                client.logParam(runId, "lr", "0." + (index + 1));
                return 200;
            } catch (MlflowHttpException e) {
                assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
                return e.getStatusCode();
            }
        });

        List<Param> stored = client().getRun(runId).getData().getParamsList();
        assertThat(stored).hasSize(1);
        assertThat(statuses).containsOnly(200, 400).filteredOn(s -> s == 200).hasSize(1);
    }

    @Test
    void logMetric_eightClientsThousandPointsEach_everyPointInTheHistory() throws Exception {
        String runId = newRun("concurrent-metrics");
        CyclicBarrier together = new CyclicBarrier(CLIENTS);

        List<Integer> logged = runAll((client, index) -> {
            together.await();
            int base = index * 1_000_000;
            // 900 points in batches of 100, then 100 single log-metric calls
            for (int batch = 0; batch < 9; batch++) {
                int from = base + batch * 100;
                client.logBatch(runId, IntStream.range(from, from + 100).mapToObj(step -> Metric.newBuilder()
                        .setKey("loss").setValue(step).setTimestamp(step).setStep(step).build()).toList(),
                        List.of(), List.of());
            }
            for (int step = base + 900; step < base + 1000; step++) {
                client.logMetric(runId, "loss", step, step, step);
            }
            return 1000;
        });

        assertThat(logged).containsOnly(1000).hasSize(CLIENTS);
        assertThat(client().getMetricHistory(runId, "loss")).hasSize(CLIENTS * 1000)
                .extracting(Metric::getStep).doesNotHaveDuplicates();
    }

    private String newRun(String experiment) {
        MlflowClient client = client();
        return client.createRun(client.createExperiment(experiment)).getRunId();
    }

    private MlflowClient client() {
        return new MlflowClient(platform.url().toString());
    }

    /** Runs the task once per client, each with its own MlflowClient, and collects the results. */
    private List<Integer> runAll(ClientTask task) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            MlflowClient client = client();
            int index = i;
            Callable<Integer> call = () -> {
                try (client) {
                    return task.run(client, index);
                }
            };
            futures.add(pool.submit(call));
        }
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    @FunctionalInterface
    private interface ClientTask {
        int run(MlflowClient client, int index) throws Exception;
    }
}
