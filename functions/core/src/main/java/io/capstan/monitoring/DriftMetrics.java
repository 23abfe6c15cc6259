package io.capstan.monitoring;

/**
 * Where a drift check's outcome goes as metrics: CloudWatch (embedded metric format in the function's log) in AWS,
 * the platform's log locally. Every check publishes {@value #DATASET_DRIFT} (1 when the dataset drifted, else 0)
 * and {@value #DRIFTED_SHARE} in namespace {@value #NAMESPACE} twice: with dimension {@value #MODEL_DIMENSION} =
 * the model, and with {@value #SERVICE_DIMENSION} = {@value #SERVICE} for an alarm over every model.
 */
@FunctionalInterface
public interface DriftMetrics {
    String NAMESPACE = "Capstan/Drift";
    String DATASET_DRIFT = "DatasetDrift";
    String DRIFTED_SHARE = "DriftedShare";
    String MODEL_DIMENSION = "Model";
    String SERVICE_DIMENSION = "Service";
    String SERVICE = "capstan-drift";

    void publish(DriftSummary summary);
}
