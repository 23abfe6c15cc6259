package io.capstan.tracking;

import java.util.Objects;

/**
 * A metric point linked to a logged model: MLflow's {@code Metric} with {@code model_id}, logged through a run
 * (log-metric or log-batch naming a {@code model_id}) and kept with the model, as MLflow's
 * {@code logged_model_metrics}.
 *
 * @param modelId       the logged model the point belongs to
 * @param runId         the run it was logged through
 * @param point         key, value (NaN and the infinities are legal), timestamp and step
 * @param datasetName   the dataset the value was measured on, null when none
 * @param datasetDigest that dataset's digest, null when none
 */
public record ModelMetric(String modelId, String runId, Metric point, String datasetName, String datasetDigest) {
    public ModelMetric {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(point, "point");
    }

    /** This point with ±Infinity stored as ±{@link Double#MAX_VALUE}, as {@link Metric#finiteOrExtreme} does. */
    public static ModelMetric finiteOrExtreme(ModelMetric metric) {
        Metric stored = Metric.finiteOrExtreme(metric.point);
        return stored == metric.point ? metric : new ModelMetric(metric.modelId, metric.runId, stored,
                metric.datasetName, metric.datasetDigest);
    }
}
