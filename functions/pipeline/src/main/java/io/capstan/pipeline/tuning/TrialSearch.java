package io.capstan.pipeline.tuning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Which trials a search runs, round by round, and which one wins. Deterministic: the same settings and the same
 * objective values give the same trials and the same winner (ties go to the lower configuration number).
 */
public final class TrialSearch {
    /** The hyperparameter halving sets per round. */
    public static final String EPOCHS = "epochs";

    private TrialSearch() {
    }

    /**
     * A trial's outcome.
     *
     * @param trial     the trial
     * @param objective its value of the search's objective on the validation rows; empty when the trial failed
     */
    public record Result(Trial trial, OptionalDouble objective) {
        public boolean succeeded() {
            return objective.isPresent();
        }
    }

    /** What follows a round. */
    public sealed interface Next {
        /**
         * Another round.
         *
         * @param trials the round's trials
         * @param best   the winner of the round just ended, which wins if every trial of the next one fails
         */
        record Round(List<Trial> trials, Result best) implements Next {
            public Round {
                trials = List.copyOf(trials);
            }
        }

        /** The search is over; {@code best} won it. */
        record Finished(Result best) implements Next {
        }

        /** Every trial failed: the search has no model. */
        record AllFailed(int failed) implements Next {
        }
    }

    /** The first round: the grid's points, or {@code max_trials} draws with the seed (at the first epochs, halving). */
    public static List<Trial> firstRound(TuningSettings settings) {
        List<Map<String, String>> points = switch (settings.strategy()) {
            case GRID -> settings.space().grid();
            case RANDOM, HALVING -> draws(settings);
            case NONE -> throw new IllegalArgumentException("no search");
        };
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, String> values = new TreeMap<>(points.get(i));
            if (settings.strategy() == SearchStrategy.HALVING) {
                values.put(EPOCHS, Integer.toString(settings.minEpochs()));
            }
            trials.add(new Trial(i + 1, 0, values));
        }
        return trials;
    }

    /**
     * What follows a round with these results.
     *
     * @param results     the round's results, failed trials included
     * @param bestEarlier the winner of the round before (halving), which wins if every trial of this round failed
     */
    public static Next next(TuningSettings settings, List<Result> results, Optional<Result> bestEarlier) {
        Comparator<Result> better = Comparator.comparingDouble((Result r) -> settings.maximize()
                ? -r.objective().getAsDouble() : r.objective().getAsDouble())
                .thenComparingInt(r -> r.trial().number());
        List<Result> ranked = results.stream().filter(Result::succeeded).sorted(better).toList();
        if (ranked.isEmpty()) {
            return bestEarlier.<Next>map(Next.Finished::new).orElseGet(() -> new Next.AllFailed(results.size()));
        }
        Result best = ranked.get(0);
        if (settings.strategy() != SearchStrategy.HALVING) {
            return new Next.Finished(best);
        }
        int epochs = Integer.parseInt(best.trial().hyperparameters().get(EPOCHS));
        if (epochs >= settings.maxEpochs()) {
            return new Next.Finished(best);
        }
        int kept = Math.max(1, ranked.size() / settings.eta());
        // one configuration left: it trains for the full epochs at once
        int nextEpochs = kept == 1 ? settings.maxEpochs() : (int) Math.min((long) epochs * settings.eta(),
                settings.maxEpochs());
        int nextRound = best.trial().round() + 1;
        return new Next.Round(ranked.subList(0, kept).stream()
                .map(r -> r.trial().inRound(nextRound, EPOCHS, Integer.toString(nextEpochs))).toList(), best);
    }

    private static List<Map<String, String>> draws(TuningSettings settings) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        List<Map<String, String>> draws = new ArrayList<>();
        for (int i = 0; i < settings.maxTrials(); i++) {
            Map<String, String> values = new TreeMap<>();
            settings.space().dimensions().forEach(d -> values.put(d.name(), d.sample(random)));
            draws.add(values);
        }
        return draws;
    }
}
