package io.capstan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.dynamodb.DynamoDbUsage;
import io.capstan.store.dynamodb.MeteredDynamoDbClient;
import io.capstan.store.dynamodb.SearchedKeyTiming;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.MutableClock;
import io.capstan.tracking.search.Page;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A param's, tag's or the run name's values are indexed once a search asks for them (docs/STORAGE.md, "Searched
 * keys"): until then searches read a larger index and writers write no item for them; after the grace every run is
 * in the key's index, including those of a writer that had not heard of the key yet, and a search by it reads about
 * what it returns.
 */
class SearchedKeyIndexTest {
    private static final Clock RUN_CLOCK = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
    private static final SearchedKeyTiming TIMING = new SearchedKeyTiming(Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(3));

    @RegisterExtension
    static final DynamoDbLocalTable TABLE = new DynamoDbLocalTable();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));

    @Test
    void searchRuns_byAParamAskedFor_indexesItAfterTheGrace_includingRunsOfAWriterThatDidNotKnow() {
        TrackingService tracking = service(TABLE.client);
        TrackingService unaware = service(TABLE.client);
        String experimentId = tracking.createExperiment("asked-param", null, Map.of());
        for (int i = 0; i < 300; i++) {
            logParam(tracking, experimentId, "r" + i, "v" + i % 10);
        }
        logParam(unaware, experimentId, "early", "v0"); // reads the experiment's keys: none yet

        Page<Run> asking = search(tracking, experimentId, "params.p = 'v3'");
        logParam(unaware, experimentId, "unaware", "v3"); // its copy of the keys is younger than the refresh
        logParam(tracking, experimentId, "aware", "v3");
        List<Map<String, AttributeValue>> beforeGrace = partitionItems(experimentId, "#A#P#");
        clock.advance(TIMING.grace());
        Page<Run> indexing = search(tracking, experimentId, "params.p = 'v3'");
        var measured = DynamoDbUsage.measure(() -> search(service(new MeteredDynamoDbClient(TABLE.client)),
                experimentId, "params.p = 'v3'"));

        assertThat(asking.items()).hasSize(30);
        assertThat(beforeGrace).as("only the writer that knew the key wrote an item").hasSize(1);
        assertThat(names(indexing)).hasSize(32).contains("unaware", "aware");
        assertThat(names(measured.result())).containsExactlyElementsOf(names(indexing));
        assertThat(partitionItems(experimentId, "#A#P#")).as("every run has p").hasSize(303);
        assertThat(measured.usage().bytesRead()).isLessThanOrEqualTo(2 * RunSummaries.bytes(TABLE, experimentId,
                measured.result()) + 16 * 1024);
    }

    @Test
    void searchRuns_byRunNameAndTagAskedFor_readTheirPartitions_andMovedRunsAreFoundWhereTheyAre() {
        TrackingService tracking = service(TABLE.client);
        String experimentId = tracking.createExperiment("asked-name", null, Map.of());
        search(tracking, experimentId, "attributes.run_name = 'x' and tags.team = 'a'");
        clock.advance(TIMING.grace());
        search(tracking, experimentId, "attributes.run_name = 'x'");
        for (int i = 0; i < 40; i++) {
            Run run = tracking.createRun(experimentId, "u", "n" + i % 4, 1_000L * i, Map.of("team", "a"));
            if (i % 3 == 0) {
                tracking.logBatch(run.info().runId(), List.of(), List.of(), List.of(new SimpleEntry<>("team", "b")));
            }
            if (i % 4 == 0) {
                tracking.deleteRun(run.info().runId());
            }
        }

        TrackingService cold = service(new MeteredDynamoDbClient(TABLE.client));
        var byName = DynamoDbUsage.measure(() -> search(cold, experimentId, "attributes.run_name = 'n1'"));
        var byTag = search(tracking, experimentId, "tags.team = 'b'");
        var deletedByName = tracking.searchRuns(List.of(experimentId), "run_name = 'n0'", ViewType.DELETED_ONLY,
                100, List.of(), null);

        assertThat(names(byName.result())).hasSize(10).containsOnly("n1");
        assertThat(byName.usage().itemsRead()).as("ten index items, ten summaries and the index's state")
                .isLessThanOrEqualTo(25);
        assertThat(byTag.items()).hasSize(10).allSatisfy(run -> assertThat(run.tags()).containsEntry("team", "b"));
        assertThat(deletedByName.items()).hasSize(10);
        assertThat(partitionItems(experimentId, "#D#N#")).hasSize(10);
    }

    @Test
    void insert_keysAskedForWhileTheWriteWasSlow_writerRereadsThemBeforeCommitting() {
        TrackingService tracking = service(TABLE.client);
        String experimentId = tracking.createExperiment("asked-slow", null, Map.of());
        AtomicBoolean once = new AtomicBoolean();
        TrackingService slow = service(onFirstBatchWrite(TABLE.client, () -> {
            if (once.compareAndSet(false, true)) {
                search(tracking, experimentId, "tags.slow = 'yes'");
                clock.advance(TIMING.commitWindow());
            }
        }));

        slow.createRun(experimentId, "u", "slow", 1_000L, Map.of("slow", "yes"));

        assertThat(once).isTrue();
        assertThat(partitionItems(experimentId, "#A#T#")).as("the run's item for the key asked for meanwhile")
                .hasSize(1);
    }

    private TrackingService service(DynamoDbClient client) {
        return DynamoDbTracking.service(client, TABLE.tableName, RUN_CLOCK,
                store -> new DynamoDbRunStore(client, TABLE.tableName, clock, TIMING));
    }

    private static void logParam(TrackingService tracking, String experimentId, String name, String value) {
        Run run = tracking.createRun(experimentId, "u", name, 1_000L, Map.of());
        tracking.logBatch(run.info().runId(), List.of(), List.of(new SimpleEntry<>("p", value)), List.of());
    }

    private static Page<Run> search(TrackingService tracking, String experimentId, String filter) {
        return tracking.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 100, List.of(), null);
    }

    private static List<String> names(Page<Run> page) {
        return page.items().stream().map(run -> run.info().runName()).toList();
    }

    private static List<Map<String, AttributeValue>> partitionItems(String experimentId, String index) {
        return TABLE.client.scanPaginator(b -> b.tableName(TABLE.tableName)).items().stream()
                .filter(item -> item.get("pk").s().startsWith("RIX#" + experimentId + index)).toList();
    }

    /** {@code client}, running {@code hook} before each BatchWriteItem: a writer held up between its reads and commit. */
    private static DynamoDbClient onFirstBatchWrite(DynamoDbClient client, Runnable hook) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("batchWriteItem")) {
                        hook.run();
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
