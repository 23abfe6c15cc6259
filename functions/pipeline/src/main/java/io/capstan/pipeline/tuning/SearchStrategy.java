package io.capstan.pipeline.tuning;

import io.capstan.error.CapstanException;
import java.util.Arrays;
import java.util.Locale;

/** How a search picks its trials: {@code tuning.strategy}. */
public enum SearchStrategy {
    /** No search: one training job with the hyperparameters as set. */
    NONE,
    /** Every combination of the lists and integer ranges. */
    GRID,
    /** {@code max_trials} draws from the space with the search's seed. */
    RANDOM,
    /**
     * Successive halving on epochs: {@code max_trials} random draws trained for a few epochs, the best
     * {@code 1/eta} of them trained again for {@code eta} times as many, until one is left or the epochs reach their
     * maximum.
     */
    HALVING;

    /** The setting's spelling: {@code none}, {@code grid}, {@code random}, {@code halving}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SearchStrategy parse(String text) {
        return Arrays.stream(values()).filter(s -> s.id().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> CapstanException.invalidParameter("tuning.strategy must be one of none, grid, "
                        + "random, halving; got '" + text + "'"));
    }
}
