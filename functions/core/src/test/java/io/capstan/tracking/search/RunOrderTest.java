package io.capstan.tracking.search;

import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.capstan.tracking.search.RunFixtures.run;
import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

class RunOrderTest {

    private static List<String> sorted(List<String> orderBy, Run... runs) {
        return Arrays.stream(runs).sorted(RunOrder.parse(orderBy)).map(r -> r.info().runId()).toList();
    }

    @Test
    void parse_noOrderBy_sortsByStartTimeDescThenRunIdAsc() {
        Run old = run("a").startTime(1_000L).build();
        Run newestB = run("b").startTime(3_000L).build();
        Run newestA = run("c").startTime(3_000L).build();

        List<String> ids = sorted(List.of(), old, newestB, newestA);
        List<String> idsForNull = sorted(null, old, newestB, newestA);

        assertThat(ids).containsExactly("b", "c", "a");
        assertThat(idsForNull).isEqualTo(ids);
    }

    @Test
    void parse_metricAsc_putsNanThenMissingLast() {
        Run missing = run("a").build();
        Run nan = run("b").metric("rmse", Double.NaN).build();
        Run high = run("c").metric("rmse", 0.9).build();
        Run low = run("d").metric("rmse", -0.1).build();

        List<String> ids = sorted(List.of("metrics.rmse ASC"), missing, nan, high, low);

        assertThat(ids).containsExactly("d", "c", "b", "a");
    }

    @Test
    void parse_metricDesc_stillPutsNanThenMissingLast() {
        Run missing = run("a").build();
        Run nan = run("b").metric("rmse", Double.NaN).build();
        Run high = run("c").metric("rmse", 0.9).build();
        Run low = run("d").metric("rmse", -0.1).build();

        List<String> ids = sorted(List.of("metrics.rmse DESC"), missing, nan, high, low);

        assertThat(ids).containsExactly("c", "d", "b", "a");
    }

    @Test
    void parse_metricWithInfinities_sortsThemAtTheEnds() {
        Run positive = run("a").metric("m", Double.POSITIVE_INFINITY).build();
        Run negative = run("b").metric("m", Double.NEGATIVE_INFINITY).build();
        Run finite = run("c").metric("m", 1e300).build();

        List<String> ids = sorted(List.of("metric.m"), positive, negative, finite);

        assertThat(ids).containsExactly("b", "c", "a");
    }

    @Test
    void parse_paramAsc_comparesAsStringsWithMissingLast() {
        Run nine = run("a").param("depth", "9").build();
        Run ten = run("b").param("depth", "10").build();
        Run missing = run("c").build();

        List<String> ids = sorted(List.of("params.depth"), nine, missing, ten);

        assertThat(ids).containsExactly("b", "a", "c");
    }

    @Test
    void parse_paramDesc_keepsMissingLast() {
        Run nine = run("a").param("depth", "9").build();
        Run ten = run("b").param("depth", "10").build();
        Run missing = run("c").build();

        List<String> ids = sorted(List.of("params.depth DESC"), missing, ten, nine);

        assertThat(ids).containsExactly("a", "b", "c");
    }

    @Test
    void parse_tagOrder_isCaseSensitiveByCodePoint() {
        Run upper = run("a").tag("team", "Zeta").build();
        Run lower = run("b").tag("team", "alpha").build();

        List<String> ids = sorted(List.of("tags.team asc"), lower, upper);

        assertThat(ids).containsExactly("a", "b");
    }

    @Test
    void parse_backtickedTagWithSpace_ordersByThatTag() {
        Run second = run("a").tag("a b", "2").build();
        Run first = run("b").tag("a b", "1").build();
        Run missing = run("c").tag("a", "0").build();

        List<String> ids = sorted(List.of("tags.`a b` DESC"), missing, first, second);

        assertThat(ids).containsExactly("a", "b", "c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"start_time", "attributes.start_time ASC", "attribute.created", "Created asc"})
    void parse_startTimeAscending_replacesDefaultStartTimeDesc(String entry) {
        Run late = run("a").startTime(5_000L).build();
        Run early = run("b").startTime(1_000L).build();

        List<String> ids = sorted(List.of(entry), late, early);

        assertThat(ids).containsExactly("b", "a");
    }

    @Test
    void parse_endTimeEitherDirection_putsUnfinishedRunsLast() {
        Run running = run("a").endTime(null).build();
        Run early = run("b").endTime(1_500L).build();
        Run late = run("c").endTime(9_000L).build();

        List<String> ascending = sorted(List.of("attributes.end_time ASC"), running, late, early);
        List<String> descending = sorted(List.of("attributes.end_time DESC"), running, early, late);

        assertThat(ascending).containsExactly("b", "c", "a");
        assertThat(descending).containsExactly("c", "b", "a");
    }

    @Test
    void parse_stringAttributes_orderByTheirText() {
        Run running = run("a").status(RunStatus.RUNNING).name("zz").build();
        Run failed = run("b").status(RunStatus.FAILED).name("yy").build();

        List<String> byStatus = sorted(List.of("status"), running, failed);
        List<String> byName = sorted(List.of("attributes.run_name DESC"), failed, running);

        assertThat(byStatus).containsExactly("b", "a");
        assertThat(byName).containsExactly("a", "b");
    }

    @Test
    void parse_severalKeys_applyInTurn() {
        Run lrHigh = run("a").param("model", "lr").metric("acc", 0.9).build();
        Run rf = run("b").param("model", "rf").metric("acc", 0.99).build();
        Run lrLow = run("c").param("model", "lr").metric("acc", 0.5).build();

        List<String> ids = sorted(List.of("params.model", "metrics.acc DESC"), rf, lrLow, lrHigh);

        assertThat(ids).containsExactly("a", "c", "b");
    }

    @Test
    void parse_tiesOnUserKeys_fallBackToStartTimeDescThenRunId() {
        Run oldest = run("a").metric("acc", 0.5).startTime(1_000L).build();
        Run newerD = run("d").metric("acc", 0.5).startTime(2_000L).build();
        Run newerC = run("c").metric("acc", 0.5).startTime(2_000L).build();

        List<String> ids = sorted(List.of("metrics.acc"), oldest, newerD, newerC);

        assertThat(ids).containsExactly("c", "d", "a");
    }

    @Test
    void parse_badDirection_isInvalidParameterNamingIt() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("metrics.rmse UP")), "Invalid ordering key 'UP'",
                "'metrics.rmse UP'");
    }

    @Test
    void parse_extraTokens_isInvalidOrderBy() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("metrics.rmse ASC now")),
                "Invalid order_by clause 'metrics.rmse ASC now'");
    }

    @Test
    void parse_blankEntry_isInvalidOrderBy() {
        assertInvalidParameter(() -> RunOrder.parse(List.of(" ")), "Invalid order_by clause ' '");
    }

    @Test
    void parse_sameKeyTwice_isInvalidParameter() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("metrics.a", "metric.a DESC")),
                "`order_by` contains duplicate fields", "'metric.a DESC'");
    }

    @Test
    void parse_createdAndStartTime_areTheSameKey() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("created", "start_time")), "duplicate fields");
    }

    @Test
    void parse_dataset_isInvalidOrderByEntity() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("datasets.name")), "Invalid order_by entity type "
                + "'dataset'");
    }

    @Test
    void parse_unknownAttribute_isInvalidParameter() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("attributes.lifecycle_stage")),
                "Invalid attribute key 'lifecycle_stage'");
    }

    @Test
    void parse_runNameAlias_isNotOrderableAsInMlflow() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("`Run name` DESC")), "Invalid attribute key 'Run name'");
    }

    @Test
    void parse_unknownEntityType_isInvalidParameter() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("metricz.a")), "Invalid entity type 'metricz'");
    }

    @Test
    void parse_unbalancedQuote_isInvalidOrderBy() {
        assertInvalidParameter(() -> RunOrder.parse(List.of("tags.`a b DESC")), "Invalid order_by clause",
                "unbalanced quote");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                  | false",
            "start_time ASC                      | true",
            "attributes.start_time DESC          | false",
            "created                             | true",
            "metrics.acc DESC                    | ",
            "start_time ASC;run_name             | "})
    void startTimeAscending_orderBy_isTheDirectionOnlyForAStartTimeOrder(String orderBy, Boolean ascending) {
        List<String> entries = orderBy.isEmpty() ? List.of() : List.of(orderBy.split(";"));

        assertThat(RunOrder.startTimeAscending(entries)).isEqualTo(Optional.ofNullable(ascending));
    }
}
