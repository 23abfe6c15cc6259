package io.capstan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.error.CapstanException;
import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.dynamodb.DynamoDbUsage;
import io.capstan.store.dynamodb.MeteredDynamoDbClient;
import io.capstan.store.dynamodb.SearchedKeyTiming;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.MutableClock;
import io.capstan.tracking.search.Page;
import io.capstan.tracking.search.RunFilter;
import io.capstan.tracking.search.RunOrder;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * runs/search ordered by start time, read from the run index in DynamoDB Local, against the truth: every run of the
 * experiments filtered and sorted in memory as MLflow's SQL store does. Runs have tied start times, changed statuses
 * and tags, deleted tags and deleted runs, so index items are moved and left behind; every page of every query is
 * walked and compared. Searches ordered by a metric read its value index, then its NaN values, then the runs without
 * it, against runs whose metric was logged twice, is NaN, ties, or was never logged. Searches ask for the param
 * {@code p}, the tag {@code team} and the run name before the runs are written, so those filters read their own
 * partitions; others ({@code params.q}) read a larger index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexedRunSearchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
    /** The clock of searched keys: still while runs are written, moved past the grace by {@link #askFor}. */
    private static final MutableClock KEYS_CLOCK = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private static final SearchedKeyTiming TIMING = new SearchedKeyTiming(Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(3));

    @RegisterExtension
    static final DynamoDbLocalTable TABLE = new DynamoDbLocalTable();

    private TrackingService tracking;
    private TrackingService fullScan;
    private final List<String> experiments = new ArrayList<>();

    @BeforeAll
    void writeRuns() {
        tracking = DynamoDbTracking.service(TABLE.client, TABLE.tableName, CLOCK,
                store -> new DynamoDbRunStore(TABLE.client, TABLE.tableName, KEYS_CLOCK, TIMING));
        fullScan = DynamoDbTracking.service(TABLE.client, TABLE.tableName, CLOCK, IndexedRunSearchTest::withoutIndex);
        Random random = new Random(11);
        for (String name : List.of("indexed-a", "indexed-b")) {
            String experimentId = tracking.createExperiment(name, null, Map.of());
            experiments.add(experimentId);
            askFor(experimentId, "params.p = 'v1' and tags.team = 'x' and attributes.run_name = 'run-1'");
            for (int i = 0; i < 120; i++) {
                long start = 1_000L * random.nextInt(40); // about three runs per start time
                Map<String, String> tags = random.nextBoolean() ? Map.of("team", random.nextBoolean() ? "x" : "y")
                        : Map.of();
                Run run = tracking.createRun(experimentId, "u", "run-" + i, start, tags);
                String id = run.info().runId();
                // m: a number (often tied), NaN, or not logged at all; sometimes logged again later
                List<Metric> metrics = i % 7 == 0 ? List.of() : List.of(new Metric("m", i % 11 == 0 ? Double.NaN
                        : random.nextInt(30) / 10.0, start, 0));
                tracking.logBatch(id, metrics, List.of(new SimpleEntry<>("p", "v" + random.nextInt(4)),
                        new SimpleEntry<>("q", "w" + i)), List.of());
                if (i % 5 == 0) {
                    tracking.logBatch(id, List.of(new Metric("m", random.nextInt(30) / 10.0, start, 1)), List.of(),
                            List.of());
                }
                switch (random.nextInt(6)) {
                    case 0 -> tracking.updateRun(id, RunStatus.FINISHED, start + 10, null);
                    case 1 -> tracking.updateRun(id, RunStatus.FAILED, start + 10, null);
                    case 2 -> tracking.deleteRun(id);
                    case 3 -> tracking.logBatch(id, List.of(), List.of(), List.of(new SimpleEntry<>("team", "z")));
                    case 4 -> {
                        if (tags.containsKey("team")) {
                            tracking.deleteTag(id, "team");
                        }
                    }
                    default -> { }
                }
            }
        }
    }

    static Stream<Arguments> queries() {
        List<String> filters = List.of("", "params.p = 'v1'", "tags.team = 'x'", "tags.team = 'z'",
                "attributes.status = 'FINISHED'", "status = 'RUNNING' and params.p = 'v2'", "params.p != 'v0'",
                "metrics.m > 0.5", "params.p = 'none'", "attributes.run_name = 'run-7'", "params.q = 'w5'",
                "params.q = 'w9' and tags.team = 'x'");
        List<List<String>> orders = List.of(List.of(), List.of("start_time ASC"), List.of("attributes.created DESC"),
                List.of("metrics.m DESC"), List.of("metrics.m"));
        List<Arguments> all = new ArrayList<>();
        for (String filter : filters) {
            for (List<String> order : orders) {
                for (ViewType view : ViewType.values()) {
                    all.add(Arguments.of(filter, order, view));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("queries")
    void searchRuns_everyPage_equalsTheFilteredSortedExperiments(String filter, List<String> order, ViewType view) {
        List<String> truth = truth(filter, order, view);

        assertThat(walk(tracking, filter, order, view, 9)).as("indexed, pages of 9").containsExactlyElementsOf(truth);
        assertThat(walk(tracking, filter, order, view, 1000)).as("indexed, one page").containsExactlyElementsOf(truth);
        if (order.isEmpty()) {
            assertThat(walk(fullScan, filter, order, view, 9)).as("store without an index")
                    .containsExactlyElementsOf(truth);
        }
    }

    @Test
    void searchRuns_runsAddedBetweenPages_nextPageContinuesAfterTheLastRunShown() {
        String experimentId = tracking.createExperiment("indexed-stable", null, Map.of());
        for (int i = 0; i < 30; i++) {
            tracking.createRun(experimentId, "u", "old-" + i, 10_000L + i, Map.of());
        }
        Page<Run> first = tracking.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 10, List.of(), null);
        for (int i = 0; i < 5; i++) {
            tracking.createRun(experimentId, "u", "new-" + i, 50_000L + i, Map.of());
        }
        Page<Run> second = tracking.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 10, List.of(),
                first.nextPageToken());

        assertThat(names(first)).containsExactlyElementsOf(oldRuns(29, 20));
        assertThat(names(second)).containsExactlyElementsOf(oldRuns(19, 10));
    }

    @Test
    void searchRuns_runsWrittenBeforeTheIndex_areIndexedOnFirstSearch() {
        String experimentId = tracking.createExperiment("indexed-migrated", null, Map.of());
        for (int i = 0; i < 25; i++) {
            Run run = tracking.createRun(experimentId, "u", "legacy-" + i, 1_000L * i, Map.of("team", "old"));
            tracking.logBatch(run.info().runId(), List.of(), List.of(new SimpleEntry<>("p", "v" + i % 2)), List.of());
        }
        dropIndexOf(experimentId);
        TrackingService upgraded = DynamoDbTracking.service(TABLE.client, TABLE.tableName, CLOCK);

        Page<Run> all = upgraded.searchRuns(List.of(experimentId), "", ViewType.ALL, 100, List.of(), null);
        Page<Run> byParam = upgraded.searchRuns(List.of(experimentId), "params.p = 'v1'", ViewType.ALL, 100,
                List.of(), null);
        Page<Run> byTag = upgraded.searchRuns(List.of(experimentId), "tags.team = 'old'", ViewType.ALL, 100,
                List.of(), null);

        assertThat(all.items()).hasSize(25);
        assertThat(byParam.items()).hasSize(12).allSatisfy(run -> assertThat(run.params()).containsEntry("p", "v1"));
        assertThat(byTag.items()).hasSize(25);
        assertThat(indexItemsOf(experimentId)).isNotEmpty();
    }

    @Test
    void searchRuns_afterConcurrentWritersChangedARun_findItExactlyWhereItIsNow() throws Exception {
        String experimentId = tracking.createExperiment("indexed-concurrent", null, Map.of());
        askFor(experimentId, "tags.team = 'x'");
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(tracking.createRun(experimentId, "u", "c-" + i, 1_000L * i, Map.of("team", "x")).info().runId());
        }
        ExecutorService writers = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            Random random = new Random(w);
            done.add(writers.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    String run = runs.get(random.nextInt(runs.size()));
                    switch (random.nextInt(4)) {
                        case 3 -> tracking.logBatch(run, List.of(new Metric("m", random.nextInt(5), i,
                                random.nextInt(3))), List.of(), List.of());
                        case 0 -> tracking.logBatch(run, List.of(), List.of(), List.of(new SimpleEntry<>("team",
                                List.of("x", "y", "z").get(random.nextInt(3)))));
                        case 1 -> tracking.updateRun(run, random.nextBoolean() ? RunStatus.RUNNING : RunStatus.FINISHED,
                                null, null);
                        default -> {
                            try {
                                tracking.deleteTag(run, "team");
                            } catch (CapstanException gone) {
                                // another writer deleted it first
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (var writer : done) {
            writer.get();
        }
        writers.shutdown();

        for (String filter : List.of("tags.team = 'x'", "tags.team = 'y'", "tags.team = 'z'", "status = 'RUNNING'",
                "status = 'FINISHED'")) {
            List<String> truth = truth(experimentId, filter);
            assertThat(walkOne(experimentId, filter)).as(filter).containsExactlyElementsOf(truth);
        }
        List<String> byMetric = tracking.searchRuns(List.of(experimentId), "", ViewType.ALL, 1000,
                List.of("metrics.m DESC"), null).items().stream().map(run -> run.info().runId()).toList();
        List<Run> all = new ArrayList<>(fullScan.searchRuns(List.of(experimentId), "", ViewType.ALL, 1000, List.of(),
                null).items());
        all.sort(RunOrder.parse(List.of("metrics.m DESC")));
        assertThat(byMetric).containsExactlyElementsOf(all.stream().map(run -> run.info().runId()).toList());
    }

    @Test
    void prepareSearch_budgetSpent_resumesWhereItStopped() {
        String experimentId = tracking.createExperiment("indexed-resumed", null, Map.of());
        for (int i = 0; i < 520; i++) {
            tracking.createRun(experimentId, "u", "legacy-" + i, 1_000L * i, Map.of());
        }
        dropIndexOf(experimentId);
        RunStore upgraded = new DynamoDbRunStore(TABLE.client, TABLE.tableName);

        boolean afterOnePage = upgraded.prepareSearch(experimentId, Duration.ZERO);
        boolean afterTwo = upgraded.prepareSearch(experimentId, Duration.ZERO);
        Page<Run> newest = DynamoDbTracking.service(TABLE.client, TABLE.tableName, CLOCK).searchRuns(
                List.of(experimentId), "", ViewType.ACTIVE_ONLY, 3, List.of(), null);

        assertThat(afterOnePage).isFalse();
        assertThat(afterTwo).isTrue();
        assertThat(names(newest)).containsExactly("legacy-519", "legacy-518", "legacy-517");
        assertThat(indexItemsOf(experimentId)).filteredOn(item -> item.get("sk").s().equals("PROGRESS")).isEmpty();
        assertThat(indexItemsOf(experimentId)).filteredOn(item -> item.get("pk").s().endsWith("#A#ALL")).hasSize(520);
    }

    @Test
    void searchRuns_firstPageOfALargeExperiment_readsAboutTheRunsItReturns() {
        String experimentId = tracking.createExperiment("indexed-large", null, Map.of());
        String note = "a run description of the size MLflow's UI writes ".repeat(30); // system tag: not indexed
        for (int i = 0; i < 1000; i++) {
            Run run = tracking.createRun(experimentId, "u", "r" + i, 1_000L * i, Map.of("mlflow.note.content", note));
            tracking.logBatch(run.info().runId(), List.of(new Metric("acc", (i * 7919 % 1000) / 1000.0, 0, 0)),
                    List.of(), List.of());
            if (i % 100 == 0) {
                tracking.updateRun(run.info().runId(), RunStatus.FAILED, 1_000L * i + 1, null);
            }
        }
        DynamoDbClient metered = new MeteredDynamoDbClient(TABLE.client);
        TrackingService cold = DynamoDbTracking.service(metered, TABLE.tableName, CLOCK);
        cold.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 1, List.of(), null); // index check, once

        var page = DynamoDbUsage.measure(() -> cold.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100,
                List.of(), null));
        var failed = DynamoDbUsage.measure(() -> cold.searchRuns(List.of(experimentId), "status = 'FAILED'",
                ViewType.ACTIVE_ONLY, 100, List.of(), null));
        var top = DynamoDbUsage.measure(() -> cold.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100,
                List.of("metrics.acc DESC"), null));
        long returned = RunSummaries.bytes(TABLE, experimentId, page.result());
        long returnedFailed = RunSummaries.bytes(TABLE, experimentId, failed.result());

        assertThat(page.result().items()).hasSize(100);
        assertThat(page.usage().bytesRead()).isLessThanOrEqualTo(2 * returned + 64 * 1024);
        assertThat(failed.result().items()).hasSize(10);
        assertThat(failed.usage().bytesRead()).isLessThanOrEqualTo(2 * returnedFailed + 64 * 1024);
        long everything = RunSummaries.bytes(TABLE, experimentId, all(experimentId));
        assertThat(page.usage().bytesRead()).isLessThan(everything / 5);
        assertThat(top.result().items()).hasSize(100).first().satisfies(run -> assertThat(run.metric("acc")
                .orElseThrow().value()).isEqualTo(0.999));
        assertThat(top.usage().bytesRead()).isLessThan(everything / 5);
    }

    /** Searches with {@code filter} (asking for the keys it names), then again past the grace (indexing them). */
    private void askFor(String experimentId, String filter) {
        tracking.searchRuns(List.of(experimentId), filter, ViewType.ALL, 10, List.of(), null);
        KEYS_CLOCK.advance(TIMING.grace());
        tracking.searchRuns(List.of(experimentId), filter, ViewType.ALL, 10, List.of(), null);
        assertThat(indexItemsOf(experimentId)).filteredOn(item -> item.get("sk").s().startsWith("KEY#"))
                .isNotEmpty().allSatisfy(item -> assertThat(item).containsKey("ready"));
    }

    private List<String> truth(String filter, List<String> order, ViewType view) {
        RunFilter parsed = RunFilter.parse(filter);
        List<Run> runs = new ArrayList<>();
        for (String experimentId : experiments) {
            for (Run run : fullScan.searchRuns(List.of(experimentId), "", ViewType.ALL, 1000, List.of("params.q"),
                    null).items()) {
                if (view.includes(run.info().lifecycleStage()) && parsed.test(run)) {
                    runs.add(run);
                }
            }
        }
        runs.sort(RunOrder.parse(order));
        return runs.stream().map(run -> run.info().runId()).toList();
    }

    private List<String> truth(String experimentId, String filter) {
        RunFilter parsed = RunFilter.parse(filter);
        return fullScan.searchRuns(List.of(experimentId), "", ViewType.ALL, 1000, List.of(), null).items().stream()
                .filter(parsed).map(run -> run.info().runId()).toList();
    }

    private List<String> walkOne(String experimentId, String filter) {
        return tracking.searchRuns(List.of(experimentId), filter, ViewType.ALL, 1000, List.of(), null).items().stream()
                .map(run -> run.info().runId()).toList();
    }

    private List<String> walk(TrackingService service, String filter, List<String> order, ViewType view, int size) {
        List<String> ids = new ArrayList<>();
        String token = null;
        for (int pages = 0; pages < 500; pages++) {
            Page<Run> page = service.searchRuns(experiments, filter, view, size, order, token);
            page.items().forEach(run -> ids.add(run.info().runId()));
            token = page.nextPageToken();
            if (token == null) {
                return ids;
            }
        }
        throw new AssertionError("more than 500 pages: the search does not end");
    }

    private static List<String> names(Page<Run> page) {
        return page.items().stream().map(run -> run.info().runName()).toList();
    }

    private static List<String> oldRuns(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i >= to; i--) {
            names.add("old-" + i);
        }
        return names;
    }

    private Page<Run> all(String experimentId) {
        return fullScan.searchRuns(List.of(experimentId), "", ViewType.ALL, 50_000, List.of("params.q"), null);
    }

    private List<Map<String, AttributeValue>> indexItemsOf(String experimentId) {
        return TABLE.client.scanPaginator(b -> b.tableName(TABLE.tableName)).items().stream()
                .filter(item -> item.get("pk").s().startsWith("RIX#" + experimentId + "#")
                        || item.get("pk").s().equals("RIX#" + experimentId))
                .toList();
    }

    /** Removes the experiment's index and its READY item, as a table written before the index existed. */
    private void dropIndexOf(String experimentId) {
        for (Map<String, AttributeValue> item : indexItemsOf(experimentId)) {
            TABLE.client.deleteItem(b -> b.tableName(TABLE.tableName).key(Map.of("pk", item.get("pk"),
                    "sk", item.get("sk"))));
        }
        assertThat(indexItemsOf(experimentId)).isEmpty();
    }

    /** The store behind {@code store}'s interface alone: searches read through the interface's default scan. */
    private static RunStore withoutIndex(RunStore store) {
        InvocationHandler handler = (proxy, method, args) -> method.isDefault()
                ? InvocationHandler.invokeDefault(proxy, method, args) : method.invoke(store, args);
        return (RunStore) Proxy.newProxyInstance(RunStore.class.getClassLoader(), new Class<?>[] {RunStore.class},
                handler);
    }
}
