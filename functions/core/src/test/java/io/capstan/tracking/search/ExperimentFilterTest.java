package io.capstan.tracking.search;

import io.capstan.tracking.Experiment;
import io.capstan.tracking.LifecycleStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

class ExperimentFilterTest {

    private final Experiment churn = experiment("1", "Churn-Model", 1_000L, 5_000L, Map.of("team", "growth"));
    private final Experiment fraud = experiment("2", "fraud_v2", 2_000L, 3_000L, Map.of("team", "risk"));
    private final Experiment untagged = experiment("3", "churn-baseline", 3_000L, 3_000L, Map.of());

    static Experiment experiment(String id, String name, long created, long updated, Map<String, String> tags) {
        return new Experiment(id, name, "mlflow-artifacts:/" + id, LifecycleStage.ACTIVE, created, updated, tags);
    }

    private List<String> matching(String filter) {
        ExperimentFilter parsed = ExperimentFilter.parse(filter);
        return List.of(churn, fraud, untagged).stream().filter(parsed).map(Experiment::experimentId).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "name = 'Churn-Model'                 | 1",
            "attribute.name = \"fraud_v2\"        | 2",
            "name != 'Churn-Model'                | 2,3",
            "name LIKE 'churn%'                   | 3",
            "name ILIKE 'churn%'                  | 1,3",
            "name LIKE 'fraud_v_'                 | 2",
            "creation_time > 1000                 | 2,3",
            "attribute.creation_time <= 2000      | 1,2",
            "creation_time = 3000                 | 3",
            "creation_time != 3000                | 1,2",
            "last_update_time >= 5000             | 1",
            "last_update_time < 4000.5            | 2,3",
            "tags.team = 'growth'                 | 1",
            "tag.team != 'growth'                 | 2",
            "tags.team ILIKE 'R%'                 | 2",
            "name ILIKE '%' AND tags.team LIKE '%' | 1,2"})
    void parse_supportedClause_matchesExperiments(String filter, String expected) {
        List<String> ids = matching(filter);

        assertThat(ids).containsExactly(expected.split(","));
    }

    @Test
    void parse_nullOrBlank_matchesEveryExperiment() {
        List<String> forNull = matching(null);
        List<String> forBlank = matching(" ");

        assertThat(forNull).containsExactly("1", "2", "3");
        assertThat(forBlank).containsExactly("1", "2", "3");
    }

    @Test
    void parse_experimentWithoutTag_doesNotMatchNotEquals() {
        List<String> ids = matching("tags.team != 'nobody'");

        assertThat(ids).containsExactly("1", "2");
    }

    @Test
    void parse_pluralAttributesPrefix_isInvalidEntityTypeAsInMlflow() {
        assertInvalidParameter(() -> ExperimentFilter.parse("attributes.name = 'x'"),
                "Invalid entity type 'attributes'", "('attribute', 'tag', 'tags')");
    }

    @Test
    void parse_metricIdentifier_isInvalidEntityType() {
        assertInvalidParameter(() -> ExperimentFilter.parse("metrics.rmse > 1"), "Invalid entity type 'metrics'");
    }

    @Test
    void parse_unknownAttribute_isInvalidParameterListingValidKeys() {
        assertInvalidParameter(() -> ExperimentFilter.parse("experiment_id = '1'"),
                "Invalid attribute key 'experiment_id'", "creation_time", "last_update_time", "name");
    }

    @Test
    void parse_nameWithGreaterThan_isInvalidComparator() {
        assertInvalidParameter(() -> ExperimentFilter.parse("name > 'a'"), "Invalid comparator '>' for attribute "
                + "'name'");
    }

    @Test
    void parse_nameWithList_isInvalidParameter() {
        assertInvalidParameter(() -> ExperimentFilter.parse("name IN ('a', 'b')"), "list of values",
                "name IN ('a', 'b')");
    }

    @Test
    void parse_creationTimeWithString_isInvalidParameter() {
        assertInvalidParameter(() -> ExperimentFilter.parse("creation_time > '2024'"),
                "Expected numeric value type for numeric attribute: creation_time", "'2024'");
    }

    @Test
    void parse_creationTimeWithLike_isInvalidComparator() {
        assertInvalidParameter(() -> ExperimentFilter.parse("creation_time LIKE 5"),
                "Invalid comparator 'LIKE' for attribute 'creation_time'");
    }

    @Test
    void parse_tagWithNumber_isInvalidParameter() {
        assertInvalidParameter(() -> ExperimentFilter.parse("tags.team = 5"),
                "Expected a quoted string value for tag 'team'");
    }

    @Test
    void parse_tagWithLessThan_isInvalidComparator() {
        assertInvalidParameter(() -> ExperimentFilter.parse("tags.team < 'x'"), "Invalid comparator '<' for tag "
                + "'team'");
    }

    @Test
    void parse_trailingGarbage_isInvalidClause() {
        assertInvalidParameter(() -> ExperimentFilter.parse("name = 'a' limit"), "Invalid clause(s)", "'limit'");
    }
}
