package io.capstan.pipeline.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchSpaceTest {

    @Test
    void of_eachForm_readsItsDimensionInNameOrder() {
        SearchSpace space = SearchSpace.of(Map.of("tuning.space.lr", "loguniform(1e-4, 1)",
                "tuning.space.kernel", "[linear, 'rbf', \"poly\"]", "tuning.space.epochs", "int(5, 7)",
                "tuning.space.cost", " uniform( 0.5 , 2 ) ", "tuning.strategy", "random"));

        assertThat(space.dimensions()).containsExactly(new SearchDimension.Uniform("cost", 0.5, 2),
                new SearchDimension.IntegerRange("epochs", 5, 7),
                new SearchDimension.Choice("kernel", List.of("linear", "rbf", "poly")),
                new SearchDimension.LogUniform("lr", 1e-4, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "normal(0, 1)|write [a, b, c], uniform(low, high), loguniform(low, high) or int(low, high)",
        "uniform(2, 1)|low must be under high",
        "loguniform(0, 1)|low must be above 0 and under high",
        "int(1.5, 3)|int(low, high) takes whole numbers",
        "int(9, 3)|low must be at most high",
        "uniform(0, Infinity)|the bounds must be finite numbers",
        "[a, , b]|a list has no empty values"})
    void of_notASearchSpace_failsNamingTheSettingAndWhy(String text, String why) {
        assertThatThrownBy(() -> SearchSpace.of(Map.of("tuning.space.lr", text)))
                .isInstanceOfSatisfying(CapstanException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("tuning.space.lr '" + text + "' is not a search space: ")
                .hasMessageContaining(why);
    }

    @Test
    void of_dataHyperparameter_isRefused() {
        assertThatThrownBy(() -> SearchSpace.of(Map.of("tuning.space.label_column", "[a, b]")))
                .hasMessageStartingWith("'tuning.space.label_column' cannot be searched");
    }

    @Test
    void grid_listsEveryCombinationFirstDimensionSlowest() {
        SearchSpace space = SearchSpace.of(Map.of("tuning.space.a", "[x, y]", "tuning.space.b", "int(1, 3)"));

        assertThat(space.gridSize()).hasToString("6");
        assertThat(space.grid()).containsExactly(Map.of("a", "x", "b", "1"), Map.of("a", "x", "b", "2"),
                Map.of("a", "x", "b", "3"), Map.of("a", "y", "b", "1"), Map.of("a", "y", "b", "2"),
                Map.of("a", "y", "b", "3"));
    }

    @Test
    void grid_continuousRange_isRefusedWithTheWayOut() {
        SearchSpace space = SearchSpace.of(Map.of("tuning.space.lr", "uniform(0, 1)"));

        assertThatThrownBy(space::grid).hasMessageContaining("tuning.space.lr is a continuous range")
                .hasMessageContaining("tuning.strategy to random");
    }

    @Test
    void sample_staysInsideEachRangeAndLogUniformSpreadsOverDecades() {
        SplittableRandom random = new SplittableRandom(3);
        SearchDimension log = new SearchDimension.LogUniform("lr", 1e-4, 1);
        SearchDimension ints = new SearchDimension.IntegerRange("n", -2, 2);
        int belowOneHundredth = 0;
        for (int i = 0; i < 4_000; i++) {
            double lr = Double.parseDouble(log.sample(random));
            long n = Long.parseLong(ints.sample(random));
            assertThat(lr).isBetween(1e-4, 1.0);
            assertThat(n).isBetween(-2L, 2L);
            belowOneHundredth += lr < 1e-2 ? 1 : 0;
        }
        // half the decades lie under 0.01: about half the draws (a uniform draw would put 1% there)
        assertThat(belowOneHundredth).isBetween(1_800, 2_200);
    }
}
