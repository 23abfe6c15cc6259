package io.capstan.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.monitoring.DriftSummary;
import io.capstan.testing.DynamoDbLocalTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamoDbDriftStoreTest {
    private static final long HOUR = 3_600_000L;
    private static DynamoDbLocalTable table;
    private static DynamoDbDriftStore store;

    @BeforeAll
    static void start() {
        table = new DynamoDbLocalTable();
        store = new DynamoDbDriftStore(table.client, table.tableName);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void summaries_newestFirst_limitedAndSeparatedByModel() {
        store.put(summary("churn", "20261122T100000Z-aaaaaa", 1_000L, true, null));
        store.put(summary("churn", "20261122T110000Z-bbbbbb", 2_000L, false, Boolean.TRUE));
        store.put(summary("churn", "20261122T120000Z-cccccc", 3_000L, false, null));
        store.put(summary("fraud", "20261122T130000Z-dddddd", 4_000L, true, null));

        assertThat(store.summaries("churn", 10)).extracting(DriftSummary::reportId)
                .containsExactly("20261122T120000Z-cccccc", "20261122T110000Z-bbbbbb", "20261122T100000Z-aaaaaa");
        assertThat(store.summaries("churn", 2)).hasSize(2);
        assertThat(store.summaries("fraud", 10)).extracting(DriftSummary::reportId)
                .containsExactly("20261122T130000Z-dddddd");
        assertThat(store.summaries("nobody", 10)).isEmpty();
    }

    @Test
    void summary_readsBackEveryField() {
        DriftSummary written = summary("roundtrip", "20261122T100000Z-eeeeee", 42L, true, Boolean.FALSE);
        store.put(written);

        assertThat(store.summary("roundtrip", "20261122T100000Z-eeeeee")).contains(written);
        assertThat(store.summary("roundtrip", "20261122T100000Z-ffffff")).isEmpty();
    }

    @Test
    void claimRetraining_grantedOncePerCooldown() {
        long t0 = 10 * HOUR;
        assertThat(store.claimRetraining("cool", t0, 24 * HOUR)).isEmpty();
        assertThat(store.claimRetraining("cool", t0 + HOUR, 24 * HOUR)).contains(t0);
        assertThat(store.claimRetraining("cool", t0 + 24 * HOUR, 24 * HOUR)).isEmpty();
        assertThat(store.claimRetraining("cool", t0 + 25 * HOUR, 24 * HOUR)).contains(t0 + 24 * HOUR);
        assertThat(store.claimRetraining("other", t0 + HOUR, 24 * HOUR)).isEmpty();
    }

    @Test
    void claimRetraining_concurrentChecks_exactlyOneGranted() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Optional<Long>>> claims = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                long now = 100 * HOUR + i;
                Callable<Optional<Long>> claim = () -> {
                    start.await();
                    return store.claimRetraining("race", now, HOUR);
                };
                claims.add(pool.submit(claim));
            }
            start.countDown();
            int granted = 0;
            for (Future<Optional<Long>> claim : claims) {
                granted += claim.get().isEmpty() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static DriftSummary summary(String model, String reportId, long timestamp, boolean drift,
                                        Boolean predictionDrift) {
        return new DriftSummary(model, reportId, timestamp, "schedule", "sketch", "3", drift, drift ? 0.75 : 0.25,
                predictionDrift, 569, 1200, "s3://capture/reports/" + model + "/" + reportId + "/report.json",
                "s3://capture/reports/" + model + "/" + reportId + "/report.html",
                drift ? "dataset drift; retraining is off" : "no dataset drift");
    }
}
