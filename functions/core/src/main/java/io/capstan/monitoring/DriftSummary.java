package io.capstan.monitoring;

import java.util.Objects;

/**
 * What one drift check found, kept per model so reports can be listed without reading them.
 *
 * @param modelName       the registered model
 * @param reportId        unique per check, sortable by time
 * @param timestamp       epoch milliseconds
 * @param trigger         {@code schedule} or {@code api}
 * @param mode            {@code exact} (two datasets) or {@code sketch} (captured traffic against the reference profile)
 * @param version         the model version whose traffic or reference was checked, empty when none
 * @param datasetDrift    whether the share of drifted features reached the threshold
 * @param driftedShare    drifted / tested features
 * @param predictionDrift whether the model's outputs drifted; null when not tested
 * @param referenceRows   rows behind the reference
 * @param currentRows     rows behind the current data
 * @param jsonUri         the JSON report's location
 * @param htmlUri         the HTML report's location
 * @param decision        what was done about it: retraining started, cool-down, policy off, nothing to do
 */
public record DriftSummary(String modelName, String reportId, long timestamp, String trigger, String mode,
                           String version, boolean datasetDrift, double driftedShare, Boolean predictionDrift,
                           long referenceRows, long currentRows, String jsonUri, String htmlUri, String decision) {
    public DriftSummary {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(mode, "mode");
        version = version == null ? "" : version;
        Objects.requireNonNull(jsonUri, "jsonUri");
        Objects.requireNonNull(htmlUri, "htmlUri");
        decision = decision == null ? "" : decision;
    }
}
