package io.capstan.tracking.search;

import static io.capstan.tracking.search.LoggedModelFixtures.model;
import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.LoggedModelStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoggedModelFilterTest {
    private static final LoggedModel ALPHA = model("m-a").name("alpha").created(1000).status(LoggedModelStatus.READY)
            .modelType("clf").tag("team", "ml").param("lr", "0.1")
            .metric("acc", 0.9, 10, 1, "test", "d1").metric("acc", 0.4, 20, 2).build();
    private static final LoggedModel BETA = model("m-b").name("beta").created(2000).status(LoggedModelStatus.PENDING)
            .param("lr", "0.2").metric("acc", 0.6, 10, 1, "train", "d2").metric("loss", Double.NaN, 10, 1).build();
    private static final LoggedModel GAMMA = model("m-c").name("Gamma").created(3000).build();

    private static List<String> matching(String filter, List<MetricDataset> datasets) {
        LoggedModelFilter parsed = LoggedModelFilter.parse(filter, datasets);
        return List.of(ALPHA, BETA, GAMMA).stream().filter(parsed).map(LoggedModel::modelId).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name = 'alpha'                        | m-a",
        "name = alpha                          | m-a",
        "attributes.name != 'alpha'            | m-b,m-c",
        "name LIKE '%a'                        | m-a,m-b,m-c",
        "name LIKE 'g%'                        | ''",
        "name ILIKE 'g%'                       | m-c",
        "name IN ('alpha', 'Gamma')            | m-a,m-c",
        "name NOT IN ('alpha')                 | m-b,m-c",
        "model_type = 'clf'                    | m-a",
        "status = 2                            | m-a,m-c",
        "status = '1'                          | m-b",
        "creation_time >= 2000                 | m-b,m-c",
        "creation_timestamp_ms < 2000          | m-a",
        "params.lr = '0.1'                     | m-a",
        "params.lr != '0.1'                    | m-b",
        "tags.team = 'ml'                      | m-a",
        "metrics.acc > 0.5                     | m-a,m-b",
        "metrics.acc < 0.5                     | m-a",
        "metrics.loss = 0                      | m-b",
        "metrics.acc > 0.5 AND params.lr = '0.2' | m-b",
        "metrics.`acc` > 0.8                   | m-a",
    })
    void parse_clause_matchesAsMlflowSqlStore(String filter, String expected) {
        List<String> ids = matching(filter, List.of());

        assertThat(ids).containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(",")));
    }

    @Test
    void parse_metricClauseWithDatasets_onlyPointsOnThoseDatasetsCount() {
        List<String> onTest = matching("metrics.acc > 0.5", List.of(new MetricDataset("test", null)));
        List<String> onTrainDigest = matching("metrics.acc > 0.5", List.of(new MetricDataset("train", "d2")));
        List<String> wrongDigest = matching("metrics.acc > 0.5", List.of(new MetricDataset("train", "other")));

        assertThat(onTest).containsExactly("m-a");
        assertThat(onTrainDigest).containsExactly("m-b");
        assertThat(wrongDigest).isEmpty();
    }

    @Test
    void parse_datasetsWithoutMetricClause_modelsWithAPointOnOneOfThem() {
        List<String> ids = matching(null, List.of(new MetricDataset("train", null), new MetricDataset("nope", null)));

        assertThat(ids).containsExactly("m-b");
        assertThat(LoggedModelFilter.parse(null, List.of(new MetricDataset("x", null))).readsMetrics()).isTrue();
        assertThat(LoggedModelFilter.parse("name = 'x'", List.of()).readsMetrics()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo.x = 1               | Invalid entity type: 'foo'",
        "bogus = 'x'             | Invalid attribute 'bogus'",
        "name > 'a'              | Invalid comparison operator for attributes.name",
        "metrics.acc LIKE '1'    | Invalid comparison operator for metrics.acc",
        "metrics.acc > 'high'    | Expected a numeric value for metrics.acc",
        "name IN 'alpha'         | IN takes a parenthesised list",
        "name = ('a')            | needs IN or NOT IN",
        "name = 'a' OR name = 'b' | AND",
    })
    void parse_badFilter_invalidParameterNamingThePart(String filter, String message) {
        assertInvalidParameter(() -> LoggedModelFilter.parse(filter, List.of()), message);
    }
}
