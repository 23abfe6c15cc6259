package io.capstan.quality.serving;

import java.time.Duration;

/** Starts the retraining pipeline when a model's quality dropped; {@link #none()} where no pipeline runs. */
@FunctionalInterface
public interface Retraining {

    /**
     * Starts retraining on the model's newest dataset unless one started within {@code cooldown}.
     *
     * @return what was done, for the report's decision
     */
    String retrain(String model, String reason, Duration cooldown);

    static Retraining none() {
        return (model, reason, cooldown) -> "no retraining pipeline on this platform";
    }
}
