package io.capstan.drift.monitoring;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One drift check to run.
 *
 * @param modelName   the registered model
 * @param trigger     {@value #SCHEDULE} or {@value #API}
 * @param version     the version whose reference is used (and whose traffic is checked); empty for the champion
 * @param dataset     a dataset to check exactly (CSV); empty to check the captured traffic against the reference
 * @param reference   the reference dataset for an exact check (CSV); empty for the version's training data, else
 *                    its reference profile
 * @param window      how much captured traffic to compare; empty for the model's setting
 * @param categorical columns of {@code dataset} holding categories when the version has no reference profile
 */
public record DriftCheckRequest(String modelName, String trigger, Optional<Long> version,
                                Optional<ObjectLocation> dataset, Optional<ObjectLocation> reference,
                                Optional<Duration> window, List<String> categorical) {
    public static final String SCHEDULE = "schedule";
    public static final String API = "api";

    public DriftCheckRequest {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(trigger, "trigger");
        categorical = List.copyOf(categorical);
    }

    /** A scheduled check of the champion's captured traffic. */
    public static DriftCheckRequest scheduled(String modelName) {
        return new DriftCheckRequest(modelName, SCHEDULE, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of());
    }
}
