package io.capstan.trainer.internal;

import io.capstan.model.TrainerMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Per-epoch metrics for algorithms that train in epochs. Tribuo's SGD trainers have no per-epoch callback, so the
 * history retrains from scratch with {@code epochs = k} and the job's seed: a fresh trainer draws the same shuffles
 * and initial parameters, so the k-epoch model is exactly the state the N-epoch training had after its k-th epoch
 * (shown by {@code EpochHistoryTest}). When retraining at every epoch costs more than the budget
 * ({@code rows x N(N+1)/2} row-epochs, times the ensemble size for bagging), the history keeps as many evenly
 * spaced checkpoints as fit, always including the last epoch.
 *
 * @param method {@link #EVERY_EPOCH}, {@link #CHECKPOINTS} or {@link #NONE}
 * @param epochs one entry per checkpoint, in epoch order
 */
record EpochHistory(String method, List<EpochMetrics> epochs) {

    static final String EVERY_EPOCH = "retrained-every-epoch";
    static final String CHECKPOINTS = "retrained-at-checkpoints";
    static final String NONE = "none";

    /** The metrics of the model trained for {@code epoch} epochs. */
    record EpochMetrics(int epoch, double trainLogLoss, double trainAccuracy, double validationAccuracy,
                        double validationLogLoss) {
    }

    EpochHistory {
        epochs = List.copyOf(epochs);
    }

    static EpochHistory none() {
        return new EpochHistory(NONE, List.of());
    }

    /**
     * The epochs to retrain at: every epoch from 1 to {@code epochs} when that fits the budget, else the most evenly
     * spaced checkpoints that fit, ending at {@code epochs}.
     *
     * @param rowEpochCost the cost of one epoch, in rows
     * @param budget       the most row-epochs to spend
     */
    static List<Integer> checkpoints(int epochs, long rowEpochCost, long budget) {
        // c evenly spaced checkpoints cost about rowEpochCost x epochs x (c + 1) / 2 row-epochs
        double estimate = 2.0 * budget / ((double) rowEpochCost * epochs) - 1;
        int count = (int) Math.max(1, Math.min(epochs, Math.floor(estimate)));
        List<Integer> checkpoints = evenlySpaced(epochs, count);
        while (count > 1 && cost(checkpoints, rowEpochCost) > budget) {
            checkpoints = evenlySpaced(epochs, --count);
        }
        return checkpoints;
    }

    /**
     * Retrains and evaluates at each checkpoint, printing one metric line per checkpoint.
     *
     * @param trainAndEvaluate trains a fresh model for the given number of epochs and evaluates it
     */
    static EpochHistory record(int epochs, List<Integer> checkpoints, IntFunction<EpochMetrics> trainAndEvaluate,
                               PrintStream out) {
        List<EpochMetrics> entries = new ArrayList<>(checkpoints.size());
        for (int epoch : checkpoints) {
            EpochMetrics metrics = trainAndEvaluate.apply(epoch);
            entries.add(metrics);
            out.println(line(metrics, epochs));
        }
        return new EpochHistory(checkpoints.size() == epochs ? EVERY_EPOCH : CHECKPOINTS, entries);
    }

    static String line(EpochMetrics metrics, int epochs) {
        return String.format(Locale.ROOT, "%s=%d/%d %s=%.6f %s=%.6f %s=%.6f %s=%.6f",
                TrainerMetrics.EPOCH, metrics.epoch(), epochs,
                TrainerMetrics.TRAIN_LOG_LOSS, metrics.trainLogLoss(),
                TrainerMetrics.TRAIN_ACCURACY, metrics.trainAccuracy(),
                TrainerMetrics.VALIDATION_ACCURACY, metrics.validationAccuracy(),
                TrainerMetrics.VALIDATION_LOG_LOSS, metrics.validationLogLoss());
    }

    private static double cost(List<Integer> checkpoints, long rowEpochCost) {
        double cost = 0;
        for (int checkpoint : checkpoints) {
            cost += (double) checkpoint * rowEpochCost;
        }
        return cost;
    }

    private static List<Integer> evenlySpaced(int epochs, int count) {
        List<Integer> checkpoints = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            int checkpoint = (int) Math.round((double) i * epochs / count);
            if (checkpoints.isEmpty() || checkpoint > checkpoints.get(checkpoints.size() - 1)) {
                checkpoints.add(Math.max(1, checkpoint));
            }
        }
        return checkpoints;
    }
}
