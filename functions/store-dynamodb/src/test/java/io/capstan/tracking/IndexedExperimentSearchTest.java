package io.capstan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.dynamodb.DynamoDbUsage;
import io.capstan.store.dynamodb.MeteredDynamoDbClient;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.MutableClock;
import io.capstan.tracking.search.ExperimentFilter;
import io.capstan.tracking.search.ExperimentOrder;
import io.capstan.tracking.search.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * experiments/search in its default order (newest first, then id), read from the experiment index in DynamoDB Local,
 * against the truth: every experiment filtered and sorted in memory as MLflow's SQL store does. Experiments share
 * creation times and are deleted and restored, so index items move and are left behind; every page is walked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexedExperimentSearchTest {
    @RegisterExtension
    static final DynamoDbLocalTable TABLE = new DynamoDbLocalTable();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private TrackingService tracking;

    @BeforeAll
    void createExperiments() {
        tracking = DynamoDbTracking.service(TABLE.client, TABLE.tableName, clock);
        Random random = new Random(5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            if (random.nextInt(3) == 0) {
                clock.advance(Duration.ofMillis(1 + random.nextInt(5))); // about three experiments per time
            }
            ids.add(tracking.createExperiment("exp-" + i, null, i % 4 == 0 ? Map.of("team", "x") : Map.of()));
        }
        for (String id : ids) {
            switch (random.nextInt(5)) {
                case 0 -> tracking.deleteExperiment(id);
                case 1 -> {
                    tracking.deleteExperiment(id);
                    tracking.restoreExperiment(id);
                }
                default -> { }
            }
        }
    }

    static Stream<Arguments> queries() {
        List<Arguments> all = new ArrayList<>();
        for (String filter : List.of("", "name LIKE 'exp-1%'", "tags.team = 'x'", "name = 'exp-42'",
                "name = 'exp-42' and tags.team = 'y'")) {
            for (ViewType view : ViewType.values()) {
                all.add(Arguments.of(filter, view));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("queries")
    void searchExperiments_everyPage_equalsTheFilteredSortedExperiments(String filter, ViewType view) {
        ExperimentFilter parsed = ExperimentFilter.parse(filter);
        List<String> truth = tracking.searchExperiments(ViewType.ALL, "", List.of("experiment_id ASC"), 50_000, null)
                .items().stream().filter(e -> view.includes(e.lifecycleStage()) && parsed.test(e))
                .sorted(ExperimentOrder.parse(List.of())).map(Experiment::experimentId).toList();

        assertThat(walk(filter, view, 7)).containsExactlyElementsOf(truth);
        assertThat(walk(filter, view, 1000)).containsExactlyElementsOf(truth);
    }

    @Test
    void searchExperiments_firstPage_readsAboutTheExperimentsItReturns() {
        TrackingService cold = DynamoDbTracking.service(new MeteredDynamoDbClient(TABLE.client), TABLE.tableName,
                clock);
        cold.searchExperiments(ViewType.ACTIVE_ONLY, "", List.of(), 1, null); // the index check, once a process

        var page = DynamoDbUsage.measure(() -> cold.searchExperiments(ViewType.ACTIVE_ONLY, "", List.of(), 10, null));
        var byName = DynamoDbUsage.measure(() -> cold.searchExperiments(ViewType.ALL, "name = 'exp-7'", List.of(),
                10, null));

        assertThat(page.result().items()).hasSize(10);
        assertThat(page.usage().itemsRead()).as("11 index items and the 11 experiments, not 150")
                .isLessThanOrEqualTo(22);
        assertThat(byName.result().items()).extracting(Experiment::name).containsExactly("exp-7");
        assertThat(byName.usage().itemsRead()).isEqualTo(2);
    }

    @Test
    void searchExperiments_tableWrittenBeforeTheIndex_indexesItOnFirstSearch() {
        List<String> before = walk("", ViewType.ALL, 1000);
        TABLE.client.scanPaginator(b -> b.tableName(TABLE.tableName)).items().stream()
                .filter(item -> item.get("pk").s().startsWith("EIX"))
                .forEach(item -> TABLE.client.deleteItem(b -> b.tableName(TABLE.tableName)
                        .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))));
        TrackingService upgraded = DynamoDbTracking.service(TABLE.client, TABLE.tableName, clock);

        Page<Experiment> first = upgraded.searchExperiments(ViewType.ALL, "", List.of(), 1000, null);

        assertThat(first.items()).extracting(Experiment::experimentId).containsExactlyElementsOf(before);
        assertThat(TABLE.client.getItem(b -> b.tableName(TABLE.tableName).key(Map.of("pk",
                AttributeValue.fromS("EIX"), "sk", AttributeValue.fromS("READY")))).item()).isNotEmpty();
    }

    private List<String> walk(String filter, ViewType view, int size) {
        List<String> ids = new ArrayList<>();
        String token = null;
        for (int pages = 0; pages < 500; pages++) {
            Page<Experiment> page = tracking.searchExperiments(view, filter, List.of(), size, token);
            page.items().forEach(e -> ids.add(e.experimentId()));
            token = page.nextPageToken();
            if (token == null) {
                return ids;
            }
        }
        throw new AssertionError("more than 500 pages: the search does not end");
    }
}
