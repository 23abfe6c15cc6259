package io.capstan.tracking.search;

import static io.capstan.tracking.search.LoggedModelFixtures.model;
import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.search.LoggedModelOrder.Term;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoggedModelOrderTest {
    private static final LoggedModel OLD = model("m-old").name("b").created(1000)
            .metric("acc", 0.1, 10, 1).metric("acc", 0.9, 5, 9, "test", "d").build();
    private static final LoggedModel MID = model("m-mid").name("a").created(2000).metric("acc", 0.5, 10, 1).build();
    private static final LoggedModel NEW = model("m-new").name("c").created(3000).build();

    private static List<String> sorted(Term... terms) {
        List<LoggedModel> models = new ArrayList<>(List.of(MID, NEW, OLD));
        models.sort(LoggedModelOrder.parse(List.of(terms)));
        return models.stream().map(LoggedModel::modelId).toList();
    }

    @Test
    void parse_noTerms_newestFirst() {
        assertThat(sorted()).containsExactly("m-new", "m-mid", "m-old");
    }

    @Test
    void parse_column_ascendingOrDescending() {
        assertThat(sorted(new Term("name", true, null, null))).containsExactly("m-mid", "m-old", "m-new");
        assertThat(sorted(new Term("name", false, null, null))).containsExactly("m-new", "m-old", "m-mid");
        assertThat(sorted(new Term("creation_timestamp", true, null, null))).containsExactly("m-old", "m-mid", "m-new");
    }

    @Test
    void parse_metric_latestPointByTimestampThenStepAndMissingLastEitherWay() {
        assertThat(sorted(new Term("metrics.acc", true, null, null))).containsExactly("m-old", "m-mid", "m-new");
        assertThat(sorted(new Term("metrics.acc", false, null, null))).containsExactly("m-mid", "m-old", "m-new");
    }

    @Test
    void parse_metricOnDataset_onlyThatDatasetsPointsCount() {
        List<String> ids = sorted(new Term("metrics.acc", false, "test", "d"));

        assertThat(ids).containsExactly("m-old", "m-new", "m-mid");
        assertThat(LoggedModelOrder.readsMetrics(List.of(new Term("metrics.acc", true, null, null)))).isTrue();
        assertThat(LoggedModelOrder.readsMetrics(List.of(new Term("name", true, null, null)))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "params.lr  | Only metrics are supported",
        "attributes.name | Only metrics are supported",
        "bogus      | Invalid order by field name: bogus",
        "''         | order_by.field_name",
    })
    void parse_badField_invalidParameterNamingIt(String field, String message) {
        assertInvalidParameter(() -> LoggedModelOrder.parse(List.of(new Term(field, true, null, null))), message);
    }
}
