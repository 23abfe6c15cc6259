package io.capstan.drift.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The input of a drift-triggered execution of the retraining state machine (read by the pipeline's validate task). */
public final class DriftRetraining {
    /** The trigger recorded with the execution and its run. */
    public static final String TRIGGER = "drift";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriftRetraining() {
    }

    public static ObjectNode input(String model, String datasetBucket, String datasetKey, String reason) {
        ObjectNode input = JSON.createObjectNode().put("model_name", model).put("trigger", TRIGGER)
                .put("reason", reason);
        input.putObject("dataset").put("bucket", datasetBucket).put("key", datasetKey);
        return input;
    }
}
