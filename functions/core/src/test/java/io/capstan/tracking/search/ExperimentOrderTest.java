package io.capstan.tracking.search;

import io.capstan.tracking.Experiment;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.capstan.tracking.search.ExperimentFilterTest.experiment;
import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

class ExperimentOrderTest {

    private static List<String> sorted(List<String> orderBy, Experiment... experiments) {
        return Arrays.stream(experiments).sorted(ExperimentOrder.parse(orderBy)).map(Experiment::experimentId)
                .toList();
    }

    @Test
    void parse_noOrderBy_sortsByCreationTimeDescThenIdAsc() {
        Experiment old = experiment("1", "a", 1_000L, 1_000L, Map.of());
        Experiment newTen = experiment("10", "b", 5_000L, 5_000L, Map.of());
        Experiment newNine = experiment("9", "c", 5_000L, 5_000L, Map.of());

        List<String> ids = sorted(List.of(), old, newTen, newNine);
        List<String> idsForNull = sorted(null, old, newTen, newNine);

        assertThat(ids).containsExactly("9", "10", "1");
        assertThat(idsForNull).isEqualTo(ids);
    }

    @Test
    void parse_nameAsc_breaksTiesByExperimentIdDesc() {
        Experiment firstAlpha = experiment("1", "alpha", 1_000L, 1_000L, Map.of());
        Experiment secondAlpha = experiment("2", "alpha", 2_000L, 2_000L, Map.of());
        Experiment beta = experiment("3", "Beta", 3_000L, 3_000L, Map.of());

        List<String> ids = sorted(List.of("name"), firstAlpha, beta, secondAlpha);

        assertThat(ids).containsExactly("3", "2", "1");
    }

    @Test
    void parse_experimentIdAsc_comparesNumerically() {
        Experiment nine = experiment("9", "a", 1_000L, 1_000L, Map.of());
        Experiment ten = experiment("10", "b", 1_000L, 1_000L, Map.of());
        Experiment zero = experiment("0", "Default", 1_000L, 1_000L, Map.of());

        List<String> ids = sorted(List.of("attribute.experiment_id ASC"), ten, nine, zero);

        assertThat(ids).containsExactly("0", "9", "10");
    }

    @Test
    void parse_severalKeys_applyInTurnBeforeTieBreaker() {
        Experiment a = experiment("1", "x", 1_000L, 9_000L, Map.of());
        Experiment b = experiment("2", "x", 2_000L, 9_000L, Map.of());
        Experiment c = experiment("3", "y", 3_000L, 1_000L, Map.of());

        List<String> ids = sorted(List.of("last_update_time desc", "creation_time"), c, b, a);

        assertThat(ids).containsExactly("1", "2", "3");
    }

    @Test
    void parse_tagKey_isInvalidOrderByEntity() {
        assertInvalidParameter(() -> ExperimentOrder.parse(List.of("tags.team")), "Invalid order_by entity: tag",
                "'tags.team'");
    }

    @Test
    void parse_unknownKey_isInvalidAttributeKey() {
        assertInvalidParameter(() -> ExperimentOrder.parse(List.of("artifact_location DESC")),
                "Invalid attribute key 'artifact_location'");
    }

    @Test
    void parse_unknownEntityType_isInvalidParameter() {
        assertInvalidParameter(() -> ExperimentOrder.parse(List.of("metrics.rmse")), "Invalid entity type 'metrics'");
    }

    @Test
    void parse_badDirection_isInvalidParameter() {
        assertInvalidParameter(() -> ExperimentOrder.parse(List.of("name sideways")), "Invalid ordering key "
                + "'sideways'");
    }
}
