package io.capstan.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.local.LocalEngines;
import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelOutput;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunLog;
import io.capstan.tracking.RunStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachedRunStoreTest {

    private LocalEngines engines;
    private DynamoDbRunStore store;
    private CachedRunStore cached;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        engines = LocalEngines.start(dataDir);
        store = new DynamoDbRunStore(engines.dynamoDbClient(), engines.tableName());
        cached = new CachedRunStore(store);
    }

    @AfterAll
    void stop() {
        engines.close();
    }

    @Test
    void listByExperiment_afterLogAndInsert_seesBoth() {
        Run first = insert("10");
        cached.listByExperiment("10");

        cached.log(first.info().runId(), new RunLog(List.of(new Metric("auc", 0.9, 1, 0)), Map.of("lr", "0.1"), Map.of()));
        Run second = insert("10");
        List<Run> listed = cached.listByExperiment("10");

        assertThat(listed).extracting(r -> r.info().runId())
                .containsExactlyInAnyOrder(first.info().runId(), second.info().runId());
        assertThat(listed).filteredOn(r -> r.info().runId().equals(first.info().runId())).singleElement()
                .satisfies(r -> assertThat(r.params()).containsEntry("lr", "0.1"));
    }

    @Test
    void get_afterUpdateInfo_returnsTheUpdate() {
        Run run = insert("11");
        cached.listByExperiment("11");
        assertThat(cached.get(run.info().runId())).isPresent();

        cached.updateInfo(run.info().runId(), info -> info.withStatus(RunStatus.FINISHED, 2000L, info.runName()));

        assertThat(cached.get(run.info().runId())).get()
                .satisfies(r -> assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED));
        assertThat(cached.listByExperiment("11")).singleElement()
                .satisfies(r -> assertThat(r.info().endTime()).isEqualTo(2000L));
    }

    @Test
    void get_afterLogOutputsAndModelInputs_returnsThem() {
        Run run = insert("31");
        cached.listByExperiment("31");
        assertThat(cached.get(run.info().runId())).isPresent();

        cached.logOutputs(run.info().runId(), List.of(new ModelOutput("m-1", 2)));
        cached.logModelInputs(run.info().runId(), List.of("m-0"));

        assertThat(cached.get(run.info().runId())).get().satisfies(r -> {
            assertThat(r.modelOutputs()).containsExactly(new ModelOutput("m-1", 2));
            assertThat(r.modelInputs()).containsExactly("m-0");
        });
        assertThat(cached.listByExperiment("31")).singleElement()
                .satisfies(r -> assertThat(r.modelOutputs()).containsExactly(new ModelOutput("m-1", 2)));
    }

    @Test
    void log_rejectedByTheStore_leavesTheCacheConsistent() {
        Run run = insert("12");
        cached.log(run.info().runId(), new RunLog(List.of(), Map.of("lr", "0.1"), Map.of()));
        cached.listByExperiment("12");

        assertThatThrownBy(() -> cached.log(run.info().runId(), new RunLog(List.of(), Map.of("lr", "0.2"), Map.of())))
                .isInstanceOf(CapstanException.class);

        assertThat(cached.listByExperiment("12")).singleElement()
                .satisfies(r -> assertThat(r.params()).containsEntry("lr", "0.1"));
    }

    @Test
    void listByExperiment_whileEightWritersLog_endsEqualToTheStore() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(insert("13"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Run run : runs) {
                work.add(pool.submit(() -> {
                    for (int step = 0; step < 40; step++) {
                        cached.log(run.info().runId(), new RunLog(List.of(new Metric("m", step, step, step)),
                                Map.of(), Map.of("step", Integer.toString(step))));
                    }
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    assertThat(cached.listByExperiment("13")).hasSize(8);
                }
            }));
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sorted(cached.listByExperiment("13"))).isEqualTo(sorted(store.listByExperiment("13")));
        assertThat(cached.listByExperiment("13")).allSatisfy(r -> assertThat(r.tags()).containsEntry("step", "39"));
    }

    private Run insert(String experimentId) {
        String id = UUID.randomUUID().toString().replace("-", "");
        RunInfo info = new RunInfo(id, experimentId, "run-" + id.substring(0, 4), "ada", RunStatus.RUNNING, 1000L, null,
                "mlflow-artifacts:/" + experimentId + "/" + id + "/artifacts", LifecycleStage.ACTIVE);
        Run run = new Run(info, List.of(), Map.of(), Map.of(), List.of());
        cached.insert(run);
        return run;
    }

    private static List<Run> sorted(List<Run> runs) {
        return runs.stream().sorted(Comparator.comparing(r -> r.info().runId())).toList();
    }
}
