package io.capstan.quality.lambda;

import io.capstan.monitoring.QualityMetrics;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Quality metrics in CloudWatch's embedded metric format, written to the function's log by Powertools: one document
 * per check, with exactly the model's dimension (setting it as the default replaces the EMF library's defaults, so
 * alarms can name it).
 */
final class PowertoolsQualityMetrics implements QualityMetrics {
    private final Metrics metrics = MetricsFactory.getMetricsInstance();

    @Override
    public void publish(Measured measured) {
        metrics.flushMetrics(m -> {
            m.setNamespace(NAMESPACE);
            m.setDefaultDimensions(DimensionSet.of(MODEL_DIMENSION, measured.model()));
            m.addMetric(measured.metric(), measured.value(), MetricUnit.NONE);
            m.addMetric(LABEL_COVERAGE, measured.labelCoverage(), MetricUnit.NONE);
            m.addMetric(LABELLED, measured.labelled(), MetricUnit.COUNT);
            m.addMetadata("report_id", measured.reportId());
        });
    }
}
