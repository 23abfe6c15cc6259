package io.capstan.predict.capture;

import io.capstan.predict.ResolvedModel;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.Scores;

/**
 * What the predict function does with the rows it scores, for drift checks. Calls on the request path never throw: a
 * capture that fails logs and leaves the request alone.
 */
public interface TrafficCapture extends AutoCloseable {

    /**
     * Folds a scored batch: its rows in the card's column order and the model's probabilities for them.
     *
     * @param model    the version that answered
     * @param features the rows as scored; read before the caller closes it
     * @param scores   the model's output for those rows
     */
    void record(ResolvedModel model, FeatureMatrix features, Scores scores);

    /**
     * Records a scored batch with each row's prediction id and the model's outputs. The default folds the rows as
     * {@link #record(ResolvedModel, FeatureMatrix, Scores)} does; a {@link PredictionLog} keeps one record per row.
     *
     * @param ids one prediction id per row
     */
    default void record(ResolvedModel model, FeatureMatrix features, LoadedModel.Scored scored, String[] ids) {
        record(model, features, scored.scores());
    }

    /** Readies the capture of a version without recording a row (reads its reference profile): for priming. */
    void prepare(ResolvedModel model);

    /** Flushes when a flush is due (the interval has elapsed, or a sketch reached its row limit); cheap otherwise. */
    void flushIfDue();

    /** Flushes every sketch now, and retries any earlier flush that failed. */
    void flush();

    /**
     * Before a SnapStart snapshot: flushes, and drops what could not be written, so that no environment restored from
     * the snapshot writes rows another one writes too.
     */
    default void beforeCheckpoint() {
        flush();
    }

    /** After a SnapStart restore: a new container identity and flush clock for this environment. */
    default void afterRestore() {
    }

    /** Flushes what is left. */
    @Override
    default void close() {
        flush();
    }

    /**
     * Both captures, each called in turn (a failure of one does not keep the other from its work); the other one
     * alone when one is {@link #off()}.
     */
    static TrafficCapture both(TrafficCapture first, TrafficCapture second) {
        return first == Off.INSTANCE ? second : second == Off.INSTANCE ? first : new Both(first, second);
    }

    /** Two captures called in turn. */
    record Both(TrafficCapture first, TrafficCapture second) implements TrafficCapture {
        @Override
        public void record(ResolvedModel model, FeatureMatrix features, Scores scores) {
            first.record(model, features, scores);
            second.record(model, features, scores);
        }

        @Override
        public void record(ResolvedModel model, FeatureMatrix features, LoadedModel.Scored scored, String[] ids) {
            first.record(model, features, scored, ids);
            second.record(model, features, scored, ids);
        }

        @Override
        public void prepare(ResolvedModel model) {
            first.prepare(model);
            second.prepare(model);
        }

        @Override
        public void flushIfDue() {
            try {
                first.flushIfDue();
            } finally {
                second.flushIfDue();
            }
        }

        @Override
        public void flush() {
            try {
                first.flush();
            } finally {
                second.flush();
            }
        }

        @Override
        public void beforeCheckpoint() {
            try {
                first.beforeCheckpoint();
            } finally {
                second.beforeCheckpoint();
            }
        }

        @Override
        public void afterRestore() {
            first.afterRestore();
            second.afterRestore();
        }

        @Override
        public void close() {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }

    /** A capture that records nothing ({@code CAPSTAN_CAPTURE=off}). */
    static TrafficCapture off() {
        return Off.INSTANCE;
    }

    /** Captures nothing. */
    enum Off implements TrafficCapture {
        INSTANCE;

        @Override
        public void record(ResolvedModel model, FeatureMatrix features, Scores scores) {
        }

        @Override
        public void prepare(ResolvedModel model) {
        }

        @Override
        public void flushIfDue() {
        }

        @Override
        public void flush() {
        }
    }
}
