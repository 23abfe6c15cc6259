package io.capstan.monitoring;

/**
 * Where a quality check's outcome goes as metrics: CloudWatch (embedded metric format in the function's log) in AWS,
 * the platform's log locally. A check that found labelled predictions publishes, in namespace {@value #NAMESPACE}
 * with dimension {@value #MODEL_DIMENSION} = the model, the figure of all the window's labelled predictions together
 * ({@value #ACCURACY} for a classifier, {@value #MEAN_ABSOLUTE_ERROR} for a regressor), {@value #LABEL_COVERAGE}
 * and {@value #LABELLED}. The alarms of the CDK app's quality schedules read them.
 */
@FunctionalInterface
public interface QualityMetrics {
    String NAMESPACE = "Capstan/Quality";
    String ACCURACY = "Accuracy";
    String MEAN_ABSOLUTE_ERROR = "MeanAbsoluteError";
    String LABEL_COVERAGE = "LabelCoverage";
    String LABELLED = "Labelled";
    String MODEL_DIMENSION = "Model";

    /**
     * A model's figures over one check's window.
     *
     * @param metric        {@value #ACCURACY} or {@value #MEAN_ABSOLUTE_ERROR}
     * @param value         the metric over every labelled prediction of the window, whichever version made it
     * @param labelCoverage labelled predictions over predictions
     */
    record Measured(String model, String metric, double value, double labelCoverage, long labelled, String reportId) {
    }

    void publish(Measured measured);
}
