package io.capstan.pipeline.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TrialSearchTest {
    private static final SearchSpace SPACE = SearchSpace.of(Map.of("tuning.space.lr", "loguniform(0.001, 1)",
            "tuning.space.batch", "[1, 8, 32]"));

    @Test
    void firstRound_randomWithASeed_drawsTheSameTrialsEveryTime() {
        List<Trial> first = TrialSearch.firstRound(settings(SearchStrategy.RANDOM, 6, true));
        List<Trial> again = TrialSearch.firstRound(settings(SearchStrategy.RANDOM, 6, true));
        List<Trial> otherSeed = TrialSearch.firstRound(new TuningSettings(SearchStrategy.RANDOM, SPACE, 6, 2,
                "accuracy", true, 8, 0.2, 1, 3, 9));

        assertThat(first).hasSize(6).isEqualTo(again).isNotEqualTo(otherSeed);
        assertThat(first).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(first).allSatisfy(t -> assertThat(t.hyperparameters()).containsOnlyKeys("lr", "batch"));
        assertThat(first.stream().map(t -> t.hyperparameters().get("lr")).distinct()).hasSize(6);
    }

    @Test
    void next_randomRound_finishesWithTheBestSucceededTrialTiesToTheLowerNumber() {
        TuningSettings settings = settings(SearchStrategy.RANDOM, 4, false);
        List<Trial> trials = TrialSearch.firstRound(settings);

        TrialSearch.Next next = TrialSearch.next(settings, List.of(result(trials.get(0), 0.4),
                failed(trials.get(1)), result(trials.get(2), 0.2), result(trials.get(3), 0.2)), Optional.empty());

        assertThat(next).isEqualTo(new TrialSearch.Next.Finished(result(trials.get(2), 0.2)));
    }

    @Test
    void next_everyTrialFailed_isAllFailed() {
        TuningSettings settings = settings(SearchStrategy.RANDOM, 2, true);
        List<Trial> trials = TrialSearch.firstRound(settings);

        assertThat(TrialSearch.next(settings, List.of(failed(trials.get(0)), failed(trials.get(1))), Optional.empty()))
                .isEqualTo(new TrialSearch.Next.AllFailed(2));
    }

    @Test
    void halving_keepsTheBestThirdWithThriceTheEpochsThenTheLastOneAtTheMaximum() {
        TuningSettings settings = new TuningSettings(SearchStrategy.HALVING, SPACE, 9, 3, "accuracy", true, 42, 0.2,
                2, 3, 20);
        List<Trial> round0 = TrialSearch.firstRound(settings);
        assertThat(round0).hasSize(9).allSatisfy(t -> assertThat(t.hyperparameters()).containsEntry("epochs", "2"));

        // trial n scores n / 10: the three best are 9, 8, 7
        TrialSearch.Next afterFirst = TrialSearch.next(settings, round0.stream().map(t -> result(t, t.number() / 10.0))
                .toList(), Optional.empty());
        List<Trial> round1 = ((TrialSearch.Next.Round) afterFirst).trials();
        assertThat(round1).extracting(Trial::number).containsExactly(9, 8, 7);
        assertThat(round1).allSatisfy(t -> {
            assertThat(t.round()).isEqualTo(1);
            assertThat(t.hyperparameters()).containsEntry("epochs", "6")
                    .containsEntry("lr", round0.get(t.number() - 1).hyperparameters().get("lr"));
        });

        TrialSearch.Next afterSecond = TrialSearch.next(settings, List.of(result(round1.get(0), 0.5),
                result(round1.get(1), 0.7), failed(round1.get(2))), Optional.empty());
        List<Trial> round2 = ((TrialSearch.Next.Round) afterSecond).trials();
        assertThat(round2).singleElement().satisfies(t -> {
            assertThat(t.number()).isEqualTo(8);
            assertThat(t.hyperparameters()).containsEntry("epochs", "20");
            assertThat(t.runName()).isEqualTo("trial-8-round-2");
        });

        TrialSearch.Result earlier = ((TrialSearch.Next.Round) afterSecond).best();
        assertThat(TrialSearch.next(settings, List.of(failed(round2.get(0))), Optional.of(earlier)))
                .as("a last round that fails leaves the winner of the round before")
                .isEqualTo(new TrialSearch.Next.Finished(earlier));
        assertThat(TrialSearch.next(settings, List.of(result(round2.get(0), 0.9)), Optional.of(earlier)))
                .isEqualTo(new TrialSearch.Next.Finished(result(round2.get(0), 0.9)));
    }

    @Test
    void settings_gridLargerThanMaxTrialsOrHalvingOverEpochs_areRefused() {
        assertThatThrownBy(() -> new TuningSettings(SearchStrategy.GRID, SearchSpace.of(Map.of("tuning.space.a",
                "[1, 2, 3]", "tuning.space.b", "[x, y]")), 5, 1, "accuracy", true, 1, 0.2, 1, 3, 9))
                .hasMessageContaining("The grid has 6 points, more than tuning.max_trials 5");
        assertThatThrownBy(() -> new TuningSettings(SearchStrategy.HALVING, SearchSpace.of(Map.of(
                "tuning.space.epochs", "[1, 2]")), 5, 1, "accuracy", true, 1, 0.2, 1, 3, 9))
                .hasMessageContaining("tuning.space.epochs cannot be searched by halving");
        assertThatThrownBy(() -> new TuningSettings(SearchStrategy.RANDOM, SearchSpace.of(Map.of()), 5, 1,
                "accuracy", true, 1, 0.2, 1, 3, 9)).hasMessageContaining("needs a search space");
    }

    private static TuningSettings settings(SearchStrategy strategy, int trials, boolean maximize) {
        return new TuningSettings(strategy, SPACE, trials, 2, maximize ? "accuracy" : "log_loss", maximize, 7, 0.2, 1,
                3, 9);
    }

    private static TrialSearch.Result result(Trial trial, double objective) {
        return new TrialSearch.Result(trial, OptionalDouble.of(objective));
    }

    private static TrialSearch.Result failed(Trial trial) {
        return new TrialSearch.Result(trial, OptionalDouble.empty());
    }
}
