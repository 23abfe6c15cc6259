package io.capstan.tracking;

import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where runs, their params, tags, metric histories and inputs live. Implementations are safe for concurrent
 * use by many processes: no update is lost and a rejected write leaves nothing behind.
 */
public interface RunStore {

    /** Stores a new run (its params, tags and metrics included). */
    void insert(Run run);

    Optional<Run> get(String runId);

    /**
     * Applies {@code change} to the run's info and stores it, retrying on concurrent writers.
     *
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} for an unknown run
     */
    Run updateInfo(String runId, UnaryOperator<RunInfo> change);

    /**
     * Adds metric points, params and tags to an active run, atomically. Every point is kept in the history; the
     * run's current value of a metric follows {@link Metric#LATEST_ORDER}.
     *
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} when a param already has another
     *                                           value or the run is deleted (nothing is written then),
     *                                           {@code RESOURCE_DOES_NOT_EXIST} for an unknown run
     */
    void log(String runId, RunLog entries);

    /**
     * Removes a tag.
     *
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} when the run or the tag does not exist
     */
    void deleteTag(String runId, String key);

    /** Adds dataset inputs; a dataset already logged (same name and digest) is not duplicated. */
    void logInputs(String runId, List<DatasetInput> inputs);

    /**
     * Appends logged models the active run used (MLflow's {@code model_inputs}); as in MLflow, the ids are not checked
     * and a model logged twice is listed twice.
     *
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} for an unknown run,
     *                                           {@code INVALID_PARAMETER_VALUE} for a deleted one
     */
    void logModelInputs(String runId, List<String> modelIds);

    /**
     * Appends logged models the active run produced (MLflow's {@code model_outputs}), unchecked and undeduplicated
     * as in MLflow.
     *
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} for an unknown run,
     *                                           {@code INVALID_PARAMETER_VALUE} for a deleted one
     */
    void logOutputs(String runId, List<ModelOutput> outputs);

    /** Every point ever logged for the metric, in logging order, repeated steps included. */
    List<Metric> metricHistory(String runId, String key);

    /** Every run of an experiment, active and deleted. */
    List<Run> listByExperiment(String experimentId);

    /**
     * The runs {@code scan} names, in start-time order (runs with equal start times in any order), read lazily: a
     * search stops reading when its page is full. Every run returned is current; a store may return runs outside
     * {@link RunScan#index()} or before {@link RunScan#from()}, which the caller skips, but never omit one.
     *
     * <p>This default reads the whole experiment ({@link #listByExperiment}); a store with an index reads only what
     * the page needs.
     */
    default Iterator<Run> scan(RunScan scan) {
        Comparator<Run> byStart = Comparator.comparingLong(run -> run.info().startTime());
        return listByExperiment(scan.experimentId()).stream()
                .filter(run -> run.info().lifecycleStage() == scan.stage())
                .filter(run -> scan.index().contains(run) && scan.reached(run.info().startTime()))
                .sorted(scan.ascending() ? byStart : byStart.reversed())
                .iterator();
    }

    /**
     * The runs {@code scan} names, in the order of the metric's value (runs with equal values in any order), read
     * lazily. As {@link #scan}, a store may return runs outside the scan, never omit one. This default reads the whole
     * experiment.
     */
    default Iterator<Run> scanByMetric(MetricScan scan) {
        Comparator<Run> byValue = Comparator.comparingDouble(scan::valueOf);
        return listByExperiment(scan.experimentId()).stream()
                .filter(run -> run.info().lifecycleStage() == scan.stage())
                .filter(run -> !Double.isNaN(scan.valueOf(run)) && scan.reached(scan.valueOf(run)))
                .sorted(scan.ascending() ? byValue : byValue.reversed())
                .iterator();
    }

    /**
     * Makes the experiment's runs searchable through {@link #scan} without reading the whole experiment, working for
     * at most about {@code budget}; resumable and idempotent (for runs written before the store kept an index).
     *
     * @return true when every run of the experiment is indexed (always, for a store without an index)
     */
    default boolean prepareSearch(String experimentId, Duration budget) {
        return true;
    }
}
