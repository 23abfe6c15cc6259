package io.capstan.drift.monitoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.monitoring.RetrainingStarter;

/** The input of a drift-triggered execution of the retraining state machine (read by the pipeline's validate task). */
public final class DriftRetraining {
    /** The trigger recorded with the execution and its run. */
    public static final String TRIGGER = "drift";

    private DriftRetraining() {
    }

    public static ObjectNode input(String model, String datasetBucket, String datasetKey, String reason) {
        return RetrainingStarter.input(model, TRIGGER, datasetBucket, datasetKey, reason);
    }
}
