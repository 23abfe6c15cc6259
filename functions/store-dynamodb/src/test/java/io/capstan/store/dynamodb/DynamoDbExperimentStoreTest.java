package io.capstan.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.LifecycleStage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamoDbExperimentStoreTest {
    private static DynamoDbLocalTable table;
    private static DynamoDbExperimentStore store;

    @BeforeAll
    static void startDynamoDb() {
        table = new DynamoDbLocalTable();
        store = new DynamoDbExperimentStore(table.client, table.tableName);
    }

    @AfterAll
    static void stopDynamoDb() {
        table.close();
    }

    private static Experiment insert(String name) {
        String id = store.nextExperimentId();
        Experiment e = new Experiment(id, name, "mlflow-artifacts:/" + id, LifecycleStage.ACTIVE, 1, 1, Map.of("k", "v"));
        store.insert(e);
        return e;
    }

    @Test
    void insert_thenGetAndGetByName_returnsIt() {
        Experiment e = insert("exp-get");

        assertThat(store.get(e.experimentId())).contains(e);
        assertThat(store.getByName("exp-get")).contains(e);
    }

    @Test
    void insert_takenName_alreadyExists() {
        insert("exp-dup");

        assertThatThrownBy(() -> insert("exp-dup"))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
    }

    @Test
    void update_rename_movesTheNameReservation() {
        Experiment e = insert("exp-old");

        store.update(e.experimentId(), x -> new Experiment(x.experimentId(), "exp-new", x.artifactLocation(),
                x.lifecycleStage(), x.creationTime(), 2, x.tags()));

        assertThat(store.getByName("exp-old")).isEmpty();
        assertThat(store.getByName("exp-new")).map(Experiment::experimentId).contains(e.experimentId());
        insert("exp-old");
    }

    @Test
    void update_renameToTakenName_badRequestAsMlflowAndUnchanged() {
        Experiment a = insert("exp-a");
        insert("exp-b");

        assertThatThrownBy(() -> store.update(a.experimentId(), x -> new Experiment(x.experimentId(), "exp-b",
                x.artifactLocation(), x.lifecycleStage(), x.creationTime(), 2, x.tags())))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThat(store.get(a.experimentId())).contains(a);
    }

    @Test
    void update_concurrentTagWriters_noTagLost() throws Exception {
        Experiment e = insert("exp-tags");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String key = "t" + i;
            results.add(pool.submit(() -> store.update(e.experimentId(), x -> {
                Map<String, String> tags = new java.util.HashMap<>(x.tags());
                tags.put(key, "v");
                return new Experiment(x.experimentId(), x.name(), x.artifactLocation(), x.lifecycleStage(),
                        x.creationTime(), x.lastUpdateTime(), tags);
            })));
        }
        pool.shutdown();
        for (Future<?> r : results) {
            r.get();
        }

        assertThat(store.get(e.experimentId()).orElseThrow().tags()).containsKeys("t0", "t1", "t2", "t3", "t4", "t5",
                "t6", "t7", "k");
    }

    @Test
    void nextExperimentId_concurrentCallers_distinctIds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(pool.submit(store::nextExperimentId));
        }
        pool.shutdown();
        Set<String> distinct = new HashSet<>();
        for (Future<String> id : ids) {
            distinct.add(id.get());
        }

        assertThat(distinct).hasSize(40);
    }

    @Test
    void list_returnsExperimentsInIdOrder() {
        insert("exp-list-1");
        insert("exp-list-2");

        List<Long> ids = store.list().stream().map(e -> Long.parseLong(e.experimentId())).toList();

        assertThat(ids).isSorted();
    }
}
