package io.capstan.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.LoggedModelStatus;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelMetric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbLoggedModelStore} on DynamoDB Local: its items, updates, metric segments and listing. */
class DynamoDbLoggedModelStoreTest {
    private static DynamoDbLocalTable table;
    private static DynamoDbLoggedModelStore store;

    @BeforeAll
    static void start() {
        table = new DynamoDbLocalTable();
        store = new DynamoDbLoggedModelStore(table.client, table.tableName);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static LoggedModel newModel(String experimentId) {
        String id = "m-" + UUID.randomUUID().toString().replace("-", "");
        LoggedModel model = new LoggedModel(id, experimentId, "model", "mlflow-artifacts:/" + experimentId + "/models/"
                + id + "/artifacts", 1000, 1000, LoggedModelStatus.PENDING, LifecycleStage.ACTIVE, "clf", "run1",
                Map.of("t", "v"), Map.of("p", "1"), List.of());
        store.insert(model);
        return model;
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return table.client.getItem(b -> b.tableName(table.tableName)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    private static ModelMetric point(String modelId, String key, double value, long timestamp, String run) {
        return new ModelMetric(modelId, run, new Metric(key, value, timestamp, 0), null, null);
    }

    @Test
    void insert_model_writesModelItemInExperimentPartitionAndPointer() {
        LoggedModel model = newModel("7");

        Map<String, AttributeValue> item = item("EXP#7", "LM#" + model.modelId());
        Map<String, AttributeValue> pointer = item("LM#" + model.modelId(), "MODEL");

        assertThat(item.get("name").s()).isEqualTo("model");
        assertThat(item.get("status").s()).isEqualTo("PENDING");
        assertThat(item.get("lifecycle").s()).isEqualTo("active");
        assertThat(item.get("tags").m()).containsEntry("t", AttributeValue.fromS("v"));
        assertThat(item.get("params").m()).containsEntry("p", AttributeValue.fromS("1"));
        assertThat(item.get("ver").n()).isEqualTo("1");
        assertThat(pointer.get("experimentId").s()).isEqualTo("7");
        assertThat(store.get(model.modelId())).contains(model);
    }

    @Test
    void insert_sameIdTwice_alreadyExists() {
        LoggedModel model = newModel("1");

        assertThatThrownBy(() -> store.insert(model)).isInstanceOfSatisfying(CapstanException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
    }

    @Test
    void update_unknownId_notFoundWithMlflowMessage() {
        assertThatThrownBy(() -> store.update("m-nope", m -> m)).isInstanceOfSatisfying(CapstanException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
            assertThat(e.getMessage()).isEqualTo("Logged model with ID 'm-nope' not found.");
        });
        assertThat(store.get("m-nope")).isEmpty();
    }

    @Test
    void update_changeThrows_nothingWritten() {
        LoggedModel model = newModel("1");

        assertThatThrownBy(() -> store.update(model.modelId(), m -> {
            throw CapstanException.invalidParameter("refused");
        })).isInstanceOf(CapstanException.class);

        assertThat(item("EXP#1", "LM#" + model.modelId()).get("ver").n()).isEqualTo("1");
    }

    @Test
    void update_eightConcurrentTagWriters_noTagLost() throws Exception {
        LoggedModel model = newModel("2");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Void>> results = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String key = "k" + w;
            results.add(pool.submit((Callable<Void>) () -> {
                store.update(model.modelId(), m -> {
                    Map<String, String> tags = new HashMap<>(m.tags());
                    tags.put(key, "v");
                    return m.withTagsAndParams(tags, m.params());
                });
                return null;
            }));
        }
        pool.shutdown();
        for (Future<Void> r : results) {
            r.get();
        }

        assertThat(store.get(model.modelId()).orElseThrow().tags())
                .containsKeys("t", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
    }

    @Test
    void logMetrics_sameRowTwice_readBackOnceInLoggingOrderWithDatasetAndNonFiniteValues() {
        LoggedModel model = newModel("3");
        ModelMetric onDataset = new ModelMetric(model.modelId(), "run1", new Metric("acc", 0.9, 10, 1), "ds", "d1");
        ModelMetric nan = point(model.modelId(), "loss", Double.NaN, 11, "run1");
        ModelMetric inf = point(model.modelId(), "loss", Double.NEGATIVE_INFINITY, 12, "run1");

        store.logMetrics(List.of(onDataset, nan));
        store.logMetrics(List.of(new ModelMetric(model.modelId(), "run1", new Metric("acc", 0.5, 10, 1), null, null),
                inf, point(model.modelId(), "acc", 0.9, 10, "run2")));

        assertThat(store.metrics(model.modelId())).containsExactly(onDataset, nan, inf,
                point(model.modelId(), "acc", 0.9, 10, "run2"));
        assertThat(store.get(model.modelId()).orElseThrow().metrics()).hasSize(4);
    }

    @Test
    void logMetrics_unknownModel_droppedAndOthersKept() {
        LoggedModel model = newModel("3");

        store.logMetrics(List.of(point("m-unknown", "acc", 1, 1, "r"), point(model.modelId(), "acc", 1, 1, "r")));

        assertThat(store.metrics("m-unknown")).isEmpty();
        assertThat(item("LM#m-unknown", "MODEL")).isNullOrEmpty();
        assertThat(store.metrics(model.modelId())).hasSize(1);
    }

    @Test
    void logMetrics_pointsBeyondOneItem_splitIntoSegmentsAndAllReadBack() {
        LoggedModel model = newModel("4");
        String longKey = "k".repeat(250);
        List<ModelMetric> points = IntStream.range(0, 2000)
                .mapToObj(i -> new ModelMetric(model.modelId(), "run1", new Metric(longKey, i, i, i), "d".repeat(200),
                        "e".repeat(36)))
                .toList();

        store.logMetrics(points);

        assertThat(store.metrics(model.modelId())).containsExactlyElementsOf(points);
        int segments = table.client.query(b -> b.tableName(table.tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :m)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("LM#" + model.modelId()),
                        ":m", AttributeValue.fromS("M#")))).count();
        assertThat(segments).isGreaterThan(1);
    }

    @Test
    void listByExperiment_modelsOfOtherExperimentsAndRuns_excluded() {
        LoggedModel a = newModel("41");
        LoggedModel b = newModel("41");
        newModel("42");
        new DynamoDbRunStore(table.client, table.tableName).insert(new Run(new RunInfo(
                "0123456789abcdef0123456789abcdef", "41", "r", "", RunStatus.RUNNING, 1, null,
                "mlflow-artifacts:/41/r/artifacts", LifecycleStage.ACTIVE), List.of(), Map.of(), Map.of(), List.of()));

        List<LoggedModel> listed = store.listByExperiment("41");

        assertThat(listed).extracting(LoggedModel::modelId).containsExactlyInAnyOrder(a.modelId(), b.modelId());
        assertThat(new DynamoDbRunStore(table.client, table.tableName).listByExperiment("41")).hasSize(1);
    }
}
