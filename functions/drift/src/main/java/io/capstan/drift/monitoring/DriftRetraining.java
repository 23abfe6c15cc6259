package io.capstan.drift.monitoring;

/** Drift-triggered executions of the retraining state machine, started by a {@code RetrainingStarter}. */
public final class DriftRetraining {
    /** The trigger recorded with the execution and its run. */
    public static final String TRIGGER = "drift";

    private DriftRetraining() {
    }
}
