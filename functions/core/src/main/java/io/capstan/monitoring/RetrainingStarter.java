package io.capstan.monitoring;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Starts the retraining state machine for a model on a dataset (Step Functions in AWS, the local runner locally). */
@FunctionalInterface
public interface RetrainingStarter {

    /**
     * Starts an execution with the trigger this starter was made for ({@code drift}, {@code quality}).
     *
     * @return the execution's name
     */
    String start(String modelName, String datasetBucket, String datasetKey, String reason);

    /** The input of an automatically triggered execution (read by the pipeline's validate task). */
    static ObjectNode input(String model, String trigger, String datasetBucket, String datasetKey, String reason) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("model_name", model).put("trigger", trigger)
                .put("reason", reason);
        input.putObject("dataset").put("bucket", datasetBucket).put("key", datasetKey);
        return input;
    }
}
