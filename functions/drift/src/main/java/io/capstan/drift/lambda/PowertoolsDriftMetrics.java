package io.capstan.drift.lambda;

import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.DriftSummary;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Drift metrics in CloudWatch's embedded metric format, written to the function's log by Powertools: one document
 * per dimension set, each with exactly that dimension (setting it as the default replaces the EMF library's
 * LogGroup/ServiceName/ServiceType defaults, so alarms can name it).
 */
final class PowertoolsDriftMetrics implements DriftMetrics {
    private final Metrics metrics = MetricsFactory.getMetricsInstance();

    @Override
    public void publish(DriftSummary summary) {
        emit(DimensionSet.of(MODEL_DIMENSION, summary.modelName()), summary);
        emit(DimensionSet.of(SERVICE_DIMENSION, SERVICE), summary);
    }

    private void emit(DimensionSet dimensions, DriftSummary summary) {
        metrics.flushMetrics(m -> {
            m.setNamespace(NAMESPACE);
            m.setDefaultDimensions(dimensions);
            m.addMetric(DATASET_DRIFT, summary.datasetDrift() ? 1 : 0, MetricUnit.COUNT);
            m.addMetric(DRIFTED_SHARE, summary.driftedShare(), MetricUnit.NONE);
            m.addMetadata("report_id", summary.reportId());
            m.addMetadata("version", summary.version());
        });
    }
}
