package io.capstan.pipeline.tuning;

import io.capstan.error.CapstanException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A hyperparameter search as the {@code tuning.*} pipeline settings describe it, checked as a whole (each setting
 * is read by the pipeline's settings).
 *
 * @param strategy           how trials are picked
 * @param space              the hyperparameters searched
 * @param maxTrials          trials of a random search, configurations of the first halving round; a grid may not
 *                           have more points
 * @param maxParallel        trials training at once (the Map state's concurrency)
 * @param objective          the metric measured on the validation rows: accuracy, log_loss or macro_f1
 * @param maximize           whether higher objective values are better
 * @param seed               seeds the draws and the split of the validation rows
 * @param validationFraction share of the training rows (per class) every trial is scored on and none trains on
 * @param minEpochs          halving: epochs of the first round
 * @param eta                halving: the factor between rounds (a third is kept when 3)
 * @param maxEpochs          halving: the epochs no round goes beyond
 */
public record TuningSettings(SearchStrategy strategy, SearchSpace space, int maxTrials, int maxParallel,
                             String objective, boolean maximize, long seed, double validationFraction, int minEpochs,
                             int eta, int maxEpochs) {
    /**
     * The most trials a search may run: each one's item and outcome travel in the execution's state, which Step
     * Functions limits to 256 KiB.
     */
    public static final int MAX_TRIALS = 200;
    /** The most trials training at once. */
    public static final int MAX_PARALLEL = 50;

    public TuningSettings {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(space, "space");
        if (strategy == SearchStrategy.NONE) {
            throw new IllegalArgumentException("a search has a strategy other than none");
        }
        Objects.requireNonNull(objective, "objective");
        if (space.isEmpty()) {
            throw CapstanException.invalidParameter("tuning.strategy " + strategy.id() + " needs a search space: set "
                    + "at least one tuning.space.<hyperparameter>, e.g. tuning.space.learning_rate = "
                    + "loguniform(0.001, 1)");
        }
        if (strategy == SearchStrategy.GRID && space.gridSize().compareTo(BigInteger.valueOf(maxTrials)) > 0) {
            throw CapstanException.invalidParameter("The grid has " + space.gridSize() + " points, more than "
                    + "tuning.max_trials " + maxTrials + ": raise tuning.max_trials (at most " + MAX_TRIALS
                    + ") or narrow tuning.space.*");
        }
        if (strategy == SearchStrategy.HALVING && space.has("epochs")) {
            throw CapstanException.invalidParameter("tuning.space.epochs cannot be searched by halving: halving sets "
                    + "the epochs of each round itself (tuning.halving_min_epochs up to tuning.halving_max_epochs)");
        }
        if (strategy == SearchStrategy.HALVING && maxEpochs < minEpochs) {
            throw CapstanException.invalidParameter("tuning.halving_max_epochs " + maxEpochs + " is under "
                    + "tuning.halving_min_epochs " + minEpochs);
        }
    }

    /** Whether {@code candidate} is a better objective value than {@code incumbent}. */
    public boolean better(double candidate, double incumbent) {
        return maximize ? candidate > incumbent : candidate < incumbent;
    }
}
