package io.capstan.tracking;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where logged models, their tags, params and linked metric points live. Implementations are safe for concurrent
 * use by many processes: no update is lost.
 */
public interface LoggedModelStore {

    /**
     * Stores a new model (its tags and params included; {@code model.metrics()} is ignored).
     *
     * @throws io.capstan.error.CapstanException {@code RESOURCE_ALREADY_EXISTS} when the id is taken
     */
    void insert(LoggedModel model);

    /** The model with its metrics, deleted or not; empty for an unknown id. */
    Optional<LoggedModel> get(String modelId);

    /**
     * Applies {@code change} to the stored model (without its metrics) and stores the result; concurrent updates are
     * retried, so none is lost. {@code change} may throw to refuse the update; nothing is written then.
     *
     * @return the stored result, with its metrics
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} for an unknown id
     */
    LoggedModel update(String modelId, UnaryOperator<LoggedModel> change);

    /**
     * Adds metric points to their models, keeping only the first point of each row (model, key, timestamp, step,
     * run) as MLflow does. Points naming a model that does not exist are dropped.
     */
    void logMetrics(List<ModelMetric> points);

    /** Every model of an experiment, deleted ones included, each without its metrics. */
    List<LoggedModel> listByExperiment(String experimentId);

    /** Every metric point of a model, in logging order; empty for an unknown id. */
    List<ModelMetric> metrics(String modelId);
}
