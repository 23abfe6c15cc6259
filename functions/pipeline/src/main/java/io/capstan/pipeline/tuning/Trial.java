package io.capstan.pipeline.tuning;

import java.util.Map;
import java.util.TreeMap;

/**
 * One training job of a search: the configuration it tries and the round it runs in.
 *
 * @param number          the configuration's number, from 1; the same in every halving round it survives
 * @param round           the round, from 0 (random and grid searches have one)
 * @param hyperparameters the values the search chose, by name (the rest come from the pipeline's settings)
 */
public record Trial(int number, int round, Map<String, String> hyperparameters) {
    public Trial {
        if (number < 1 || round < 0) {
            throw new IllegalArgumentException("trial " + number + " of round " + round);
        }
        hyperparameters = Map.copyOf(hyperparameters);
    }

    /** This configuration in a later round with one hyperparameter changed (halving's epochs). */
    Trial inRound(int nextRound, String name, String value) {
        Map<String, String> changed = new TreeMap<>(hyperparameters);
        changed.put(name, value);
        return new Trial(number, nextRound, changed);
    }

    /** {@code trial-3}, and {@code trial-3-round-1} after the first round: the name of its run. */
    public String runName() {
        return "trial-" + number + (round == 0 ? "" : "-round-" + round);
    }
}
