package io.capstan.quality.serving;

import io.capstan.monitoring.DatasetRetraining;
import java.time.Duration;

/** Starts the retraining pipeline when a model's quality dropped; {@link #none()} where no pipeline runs. */
@FunctionalInterface
public interface Retraining {
    /** The trigger recorded with a quality-triggered execution and its run. */
    String TRIGGER = "quality";

    /**
     * Starts retraining on the model's newest dataset unless one started within {@code cooldown}.
     *
     * @return what was done, for the report's decision
     */
    String retrain(String model, String reason, Duration cooldown);

    /** Retraining on the model's newest dataset, under the claim drift checks share. */
    static Retraining on(DatasetRetraining datasets) {
        return (model, reason, cooldown) -> datasets.retrain(model, reason, cooldown).message();
    }

    static Retraining none() {
        return (model, reason, cooldown) -> "no retraining pipeline on this platform";
    }
}
