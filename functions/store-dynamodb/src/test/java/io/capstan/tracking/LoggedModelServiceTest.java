package io.capstan.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.store.dynamodb.DynamoDbExperimentStore;
import io.capstan.store.dynamodb.DynamoDbLoggedModelStore;
import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.tracking.search.LoggedModelOrder;
import io.capstan.tracking.search.MetricDataset;
import io.capstan.tracking.search.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Logged models through {@link TrackingService} on the real DynamoDB stores (DynamoDB Local), with a fixed clock. */
class LoggedModelServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static DynamoDbLocalTable table;
    private static TrackingService tracking;

    @BeforeAll
    static void start() {
        table = new DynamoDbLocalTable();
        tracking = new TrackingService(new DynamoDbExperimentStore(table.client, table.tableName),
                new DynamoDbRunStore(table.client, table.tableName),
                new DynamoDbLoggedModelStore(table.client, table.tableName), CLOCK);
        tracking.ensureDefaultExperiment();
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static LoggedModel create(String experimentId, String name) {
        return tracking.loggedModels().create(experimentId, name, null, null, Map.of(), List.of());
    }

    @Test
    void getLoggedModel_created_answersWhatTheRegistryNeeds() {
        String exp = tracking.createExperiment("registry-view", null, Map.of());
        Run run = tracking.createRun(exp, "ada", null, null, Map.of());
        LoggedModel created = tracking.loggedModels().create(exp, "model", "clf", run.info().runId(),
                Map.of("team", "a"), List.of(new SimpleEntry<>("C", "1.0")));

        LoggedModel model = tracking.getLoggedModel(created.modelId());

        assertThat(model.modelId()).matches(LoggedModel.ID.pattern());
        assertThat(model.experimentId()).isEqualTo(exp);
        assertThat(model.name()).isEqualTo("model");
        assertThat(model.artifactLocation()).isEqualTo("mlflow-artifacts:/" + exp + "/models/" + model.modelId()
                + "/artifacts");
        assertThat(model.sourceRunId()).isEqualTo(run.info().runId());
        assertThat(model.status()).isEqualTo(LoggedModelStatus.PENDING);
        assertThat(model.tags()).containsExactly(Map.entry("team", "a"));
        assertThat(model.params()).containsExactly(Map.entry("C", "1.0"));
        assertThat(model.creationTimestamp()).isEqualTo(CLOCK.millis());
        assertThat(model.lastUpdatedTimestamp()).isEqualTo(CLOCK.millis());
    }

    @Test
    void getLoggedModel_deletedOrUnknown_notFound() {
        LoggedModel model = create("0", "gone");
        tracking.loggedModels().delete(model.modelId());

        for (String id : List.of(model.modelId(), "m-ffffffffffffffffffffffffffffffff")) {
            assertThatThrownBy(() -> tracking.getLoggedModel(id)).isInstanceOfSatisfying(CapstanException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        }
        assertThat(tracking.loggedModels().get(model.modelId(), true).lifecycleStage())
                .isEqualTo(LifecycleStage.DELETED);
    }

    @Test
    void getLoggedModel_serviceWithoutLoggedModelStore_illegalStateNamingTheConstructor() {
        TrackingService withoutModels = new TrackingService(new DynamoDbExperimentStore(table.client, table.tableName),
                new DynamoDbRunStore(table.client, table.tableName), CLOCK);

        assertThatThrownBy(() -> withoutModels.getLoggedModel("m-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LoggedModelStore");
    }

    @Test
    void logBatch_metricsNamingAModel_linkedToItWithTheRunId() {
        String exp = tracking.createExperiment("linked-metrics", null, Map.of());
        Run run = tracking.createRun(exp, "ada", null, null, Map.of());
        LoggedModel model = create(exp, "model");
        Metric acc = new Metric("acc", 0.9, 10, 1);

        tracking.logBatch(run.info().runId(), List.of(acc), List.of(), List.of(),
                List.of(new ModelMetric(model.modelId(), run.info().runId(), acc, "ds", "d1")));

        assertThat(tracking.getLoggedModel(model.modelId()).metrics())
                .containsExactly(new ModelMetric(model.modelId(), run.info().runId(), acc, "ds", "d1"));
        assertThat(tracking.getRun(run.info().runId()).metrics()).containsExactly(acc);
    }

    @Test
    void metricHistory_samePointLoggedTwice_returnedOnce() {
        Run run = tracking.createRun("0", "ada", null, null, Map.of());
        Metric point = new Metric("acc", 0.9, 10, 1);

        tracking.logBatch(run.info().runId(), List.of(point), List.of(), List.of());
        tracking.logBatch(run.info().runId(), List.of(point, new Metric("acc", 0.8, 10, 1)), List.of(), List.of());

        assertThat(tracking.metricHistory(run.info().runId(), "acc"))
                .containsExactly(point, new Metric("acc", 0.8, 10, 1));
    }

    @Test
    void finalizeModel_thenSetTagsAndParams_statusAndUpdateTimeKept() {
        LoggedModel model = create("0", "final");

        LoggedModel ready = tracking.loggedModels().finalizeModel(model.modelId(), LoggedModelStatus.READY);
        tracking.loggedModels().setTags(model.modelId(), Map.of("k", "v"));
        tracking.loggedModels().logParams(model.modelId(), List.of(new SimpleEntry<>("p", "1")));

        LoggedModel read = tracking.getLoggedModel(model.modelId());
        assertThat(ready.status()).isEqualTo(LoggedModelStatus.READY);
        assertThat(read.status()).isEqualTo(LoggedModelStatus.READY);
        assertThat(read.tags()).containsEntry("k", "v");
        assertThat(read.params()).containsEntry("p", "1");
        assertThat(read.lastUpdatedTimestamp()).isEqualTo(CLOCK.millis());
    }

    @Test
    void search_experimentsFilterAndOrder_deletedLeftOutAndMetricsAttached() {
        String exp = tracking.createExperiment("service-search", null, Map.of());
        Run run = tracking.createRun(exp, "ada", null, null, Map.of());
        LoggedModel a = create(exp, "a");
        LoggedModel b = create(exp, "b");
        LoggedModel deleted = create(exp, "c");
        tracking.loggedModels().delete(deleted.modelId());
        Metric acc = new Metric("acc", 0.5, 1, 0);
        tracking.logBatch(run.info().runId(), List.of(acc), List.of(), List.of(),
                List.of(new ModelMetric(b.modelId(), run.info().runId(), acc, null, null)));

        Page<LoggedModel> page = tracking.loggedModels().search(List.of(exp, exp), "name != 'x'", List.of(), null,
                List.of(new LoggedModelOrder.Term("name", false, null, null)), null);
        Page<LoggedModel> onDataset = tracking.loggedModels().search(List.of(exp), null,
                List.of(new MetricDataset("nope", null)), 10, List.of(), null);

        assertThat(page.items()).extracting(LoggedModel::modelId).containsExactly(b.modelId(), a.modelId());
        assertThat(page.items().get(0).metrics()).hasSize(1);
        assertThat(page.nextPageToken()).isNull();
        assertThat(onDataset.items()).isEmpty();
    }
}
