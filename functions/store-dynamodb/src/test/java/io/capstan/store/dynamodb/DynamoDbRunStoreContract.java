package io.capstan.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.tracking.Dataset;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelOutput;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunLog;
import io.capstan.tracking.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What {@link DynamoDbRunStore} must do on any DynamoDB: run by {@link DynamoDbRunStoreTest} on DynamoDB Local and
 * by {@link DynamoDbRunStoreLocalStackTest} on LocalStack where Docker is available.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DynamoDbRunStoreContract {
    private DynamoDbRunStore store;

    /** A client for a DynamoDB holding a table created from {@code TableDefinition.METADATA}. */
    protected abstract DynamoDbClient client();

    protected abstract String tableName();

    @BeforeAll
    void createStore() {
        store = new DynamoDbRunStore(client(), tableName());
    }

    private Run newRun(String experimentId) {
        String id = UUID.randomUUID().toString().replace("-", "");
        RunInfo info = new RunInfo(id, experimentId, "run-" + id.substring(0, 4), "alice", RunStatus.RUNNING, 1000L,
                null, "mlflow-artifacts:/" + experimentId + "/" + id + "/artifacts", LifecycleStage.ACTIVE);
        Run run = new Run(info, List.of(), Map.of(), Map.of("mlflow.runName", info.runName()), List.of());
        store.insert(run);
        return run;
    }

    @Test
    void log_metricsParamsTags_readBackWithCurrentValues() {
        Run run = newRun("1");

        store.log(run.info().runId(), new RunLog(
                List.of(new Metric("loss", 0.9, 10, 0), new Metric("loss", 0.5, 20, 1), new Metric("loss", 0.7, 30, 1)),
                Map.of("lr", "0.1"), Map.of("team", "ml")));

        Run read = store.get(run.info().runId()).orElseThrow();
        assertThat(read.params()).containsEntry("lr", "0.1");
        assertThat(read.tags()).containsEntry("team", "ml").containsEntry("mlflow.runName", run.info().runName());
        assertThat(read.metric("loss")).contains(new Metric("loss", 0.7, 30, 1));
        assertThat(store.metricHistory(run.info().runId(), "loss")).hasSize(3);
    }

    @Test
    void log_nonFiniteValues_roundTrip() {
        Run run = newRun("1");

        store.log(run.info().runId(), new RunLog(List.of(new Metric("a", Double.NaN, 1, 0),
                new Metric("b", Double.POSITIVE_INFINITY, 1, 0), new Metric("c", Double.NEGATIVE_INFINITY, 1, 0)),
                Map.of(), Map.of()));

        assertThat(store.metricHistory(run.info().runId(), "a")).extracting(Metric::value).containsExactly(Double.NaN);
        assertThat(store.metricHistory(run.info().runId(), "b")).extracting(Metric::value)
                .containsExactly(Double.POSITIVE_INFINITY);
        assertThat(store.get(run.info().runId()).orElseThrow().metric("c").orElseThrow().value())
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void log_lowerStepAfterHigher_keepsHigherStepAsCurrent() {
        Run run = newRun("1");
        store.log(run.info().runId(), new RunLog(List.of(new Metric("acc", 0.8, 100, 5)), Map.of(), Map.of()));

        store.log(run.info().runId(), new RunLog(List.of(new Metric("acc", 0.99, 200, 4)), Map.of(), Map.of()));

        assertThat(store.get(run.info().runId()).orElseThrow().metric("acc")).contains(new Metric("acc", 0.8, 100, 5));
        assertThat(store.metricHistory(run.info().runId(), "acc")).hasSize(2);
    }

    @Test
    void log_paramWithNewValue_rejectedAndNothingWritten() {
        Run run = newRun("1");
        store.log(run.info().runId(), new RunLog(List.of(), Map.of("lr", "0.1"), Map.of()));

        assertThatThrownBy(() -> store.log(run.info().runId(), new RunLog(List.of(new Metric("m", 1, 1, 0)),
                Map.of("lr", "0.2"), Map.of("t", "v"))))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("lr");

        Run read = store.get(run.info().runId()).orElseThrow();
        assertThat(read.params()).containsExactly(Map.entry("lr", "0.1"));
        assertThat(read.tags()).doesNotContainKey("t");
        assertThat(store.metricHistory(run.info().runId(), "m")).isEmpty();
    }

    @Test
    void log_sameParamValueAgain_accepted() {
        Run run = newRun("1");
        store.log(run.info().runId(), new RunLog(List.of(), Map.of("lr", "0.1"), Map.of()));

        store.log(run.info().runId(), new RunLog(List.of(), Map.of("lr", "0.1"), Map.of()));

        assertThat(store.get(run.info().runId()).orElseThrow().params()).containsEntry("lr", "0.1");
    }

    @Test
    void log_deletedRun_rejected() {
        Run run = newRun("1");
        store.updateInfo(run.info().runId(), i -> i.withLifecycleStage(LifecycleStage.DELETED));

        assertThatThrownBy(() -> store.log(run.info().runId(), new RunLog(List.of(new Metric("m", 1, 1, 0)),
                Map.of(), Map.of())))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("must be in the 'active' state");
        assertThat(store.metricHistory(run.info().runId(), "m")).isEmpty();
    }

    @Test
    void log_unknownRun_notFound() {
        assertThatThrownBy(() -> store.log("0123456789abcdef0123456789abcdef",
                new RunLog(List.of(new Metric("m", 1, 1, 0)), Map.of(), Map.of())))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void log_batchWithMoreKeysThanATransaction_keepsEveryPoint() {
        Run run = newRun("1");
        List<Metric> metrics = IntStream.range(0, 150).mapToObj(i -> new Metric("m" + i, i, 1, 0)).toList();

        store.log(run.info().runId(), new RunLog(metrics, Map.of("p", "v"), Map.of()));

        Run read = store.get(run.info().runId()).orElseThrow();
        assertThat(read.metrics()).hasSize(150);
        assertThat(store.metricHistory(run.info().runId(), "m149")).containsExactly(new Metric("m149", 149, 1, 0));
    }

    @Test
    void metricHistory_tenThousandPointsInBatches_allReturned() {
        Run run = newRun("2");
        for (int batch = 0; batch < 10; batch++) {
            int offset = batch * 1000;
            store.log(run.info().runId(), new RunLog(IntStream.range(0, 1000)
                    .mapToObj(i -> new Metric("loss", 1.0 / (offset + i + 1), offset + i, offset + i)).toList(),
                    Map.of(), Map.of()));
        }

        List<Metric> history = store.metricHistory(run.info().runId(), "loss");

        assertThat(history).hasSize(10_000);
        assertThat(history).extracting(Metric::step).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 10_000).mapToObj(i -> (long) i).toList());
        assertThat(store.get(run.info().runId()).orElseThrow().metric("loss").orElseThrow().step()).isEqualTo(9999);
    }

    @Test
    void log_eightConcurrentWritersOfOneParam_exactlyOneValueStored() throws Exception {
        Run run = newRun("3");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String value = "v" + i;
            results.add(pool.submit(() -> {
                try {
                    store.log(run.info().runId(), new RunLog(List.of(), Map.of("seed", value), Map.of()));
                    return true;
                } catch (CapstanException e) {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    return false;
                }
            }));
        }
        pool.shutdown();

        long accepted = 0;
        for (Future<Boolean> r : results) {
            accepted += r.get() ? 1 : 0;
        }

        assertThat(accepted).isEqualTo(1);
        assertThat(store.get(run.info().runId()).orElseThrow().params()).containsOnlyKeys("seed");
    }

    @Test
    void log_eightConcurrentWritersOfOneMetric_everyPointKept() throws Exception {
        Run run = newRun("3");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Void>> results = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            results.add(pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < 250; i++) {
                    store.log(run.info().runId(), new RunLog(List.of(new Metric("x", writer, i, i)), Map.of(), Map.of()));
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<Void> r : results) {
            r.get();
        }

        List<Metric> history = store.metricHistory(run.info().runId(), "x");

        assertThat(history).hasSize(2000);
        Metric expectedCurrent = history.stream().max(Metric.LATEST_ORDER).orElseThrow();
        assertThat(store.get(run.info().runId()).orElseThrow().metric("x")).contains(expectedCurrent);
    }

    @Test
    void deleteTag_missingTag_notFound() {
        Run run = newRun("1");

        assertThatThrownBy(() -> store.deleteTag(run.info().runId(), "nope"))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void deleteTag_existingTag_removed() {
        Run run = newRun("1");
        store.log(run.info().runId(), new RunLog(List.of(), Map.of(), Map.of("t", "v")));

        store.deleteTag(run.info().runId(), "t");

        assertThat(store.get(run.info().runId()).orElseThrow().tags()).doesNotContainKey("t");
    }

    @Test
    void logInputs_sameDatasetTwice_storedOnce() {
        Run run = newRun("1");
        DatasetInput input = new DatasetInput(new Dataset("iris", "abc123", "local", "{\"uri\":\"iris.csv\"}",
                null, null), Map.of("mlflow.data.context", "training"));

        store.logInputs(run.info().runId(), List.of(input));
        store.logInputs(run.info().runId(), List.of(input));

        assertThat(store.get(run.info().runId()).orElseThrow().inputs()).containsExactly(input);
    }

    @Test
    void logOutputsAndModelInputs_appendedInLoggingOrder_readBackWithRunAndKeptByLaterWrites() {
        Run run = newRun("1");

        store.logOutputs(run.info().runId(), List.of(new ModelOutput("m-1", 3), new ModelOutput("m-2", 0)));
        store.logOutputs(run.info().runId(), List.of(new ModelOutput("m-1", 3)));
        store.logModelInputs(run.info().runId(), List.of("m-9"));
        store.log(run.info().runId(), new RunLog(List.of(new Metric("m", 1, 1, 0)), Map.of("p", "v"), Map.of()));

        Run read = store.get(run.info().runId()).orElseThrow();
        assertThat(read.modelOutputs()).containsExactly(new ModelOutput("m-1", 3), new ModelOutput("m-2", 0),
                new ModelOutput("m-1", 3));
        assertThat(read.modelInputs()).containsExactly("m-9");
        assertThat(store.listByExperiment("1")).filteredOn(r -> r.info().runId().equals(run.info().runId()))
                .singleElement().satisfies(r -> assertThat(r.modelOutputs()).hasSize(3));
    }

    @Test
    void logOutputs_deletedRun_invalidParameterAndNothingWritten() {
        Run run = newRun("1");
        store.updateInfo(run.info().runId(), info -> info.withLifecycleStage(LifecycleStage.DELETED));

        assertThatThrownBy(() -> store.logOutputs(run.info().runId(), List.of(new ModelOutput("m-1", 0))))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        assertThat(store.get(run.info().runId()).orElseThrow().modelOutputs()).isEmpty();
    }

    @Test
    void listByExperiment_runsOfOtherExperiments_excluded() {
        Run a = newRun("41");
        Run b = newRun("41");
        newRun("42");

        assertThat(store.listByExperiment("41")).extracting(r -> r.info().runId())
                .containsExactlyInAnyOrder(a.info().runId(), b.info().runId());
    }

    @Test
    void log_anotherProcessMovedTheMetricOn_currentPointFollowsLatestOrder() {
        Run run = newRun("5");
        String runId = run.info().runId();
        DynamoDbRunStore otherProcess = new DynamoDbRunStore(client(), tableName());
        store.log(runId, new RunLog(List.of(new Metric("m", 1, 10, 1)), Map.of(), Map.of()));

        otherProcess.log(runId, new RunLog(List.of(new Metric("m", 5, 50, 5)), Map.of(), Map.of()));
        store.log(runId, new RunLog(List.of(new Metric("m", 3, 30, 3)), Map.of(), Map.of()));

        assertThat(store.get(runId).orElseThrow().metric("m")).contains(new Metric("m", 5, 50, 5));
        store.log(runId, new RunLog(List.of(new Metric("m", 6, 60, 6)), Map.of(), Map.of()));
        assertThat(otherProcess.get(runId).orElseThrow().metric("m")).contains(new Metric("m", 6, 60, 6));
        assertThat(store.metricHistory(runId, "m")).extracting(Metric::step).containsExactlyInAnyOrder(1L, 5L, 3L, 6L);
    }

    @Test
    void log_runDeletedByAnotherProcess_rejectedAndNothingWritten() {
        Run run = newRun("5");
        String runId = run.info().runId();
        store.log(runId, new RunLog(List.of(new Metric("m", 1, 10, 1)), Map.of(), Map.of()));
        new DynamoDbRunStore(client(), tableName()).updateInfo(runId,
                i -> i.withLifecycleStage(LifecycleStage.DELETED));

        assertThatThrownBy(() -> store.log(runId, new RunLog(List.of(new Metric("m", 2, 20, 2)), Map.of(), Map.of())))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        assertThat(store.metricHistory(runId, "m")).extracting(Metric::step).containsExactly(1L);
    }

    @Test
    void insert_sameRunIdTwice_alreadyExists() {
        Run run = newRun("1");

        assertThatThrownBy(() -> store.insert(run))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
    }
}
