package io.capstan.monitoring;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.pipeline.ExecutionNames;

/** Starts the retraining state machine for a model on a dataset (Step Functions in AWS, the local runner locally). */
@FunctionalInterface
public interface RetrainingStarter {

    /**
     * Starts an execution with the trigger this starter was made for ({@code drift}, {@code quality}).
     *
     * @return the execution's name
     */
    String start(String modelName, String datasetBucket, String datasetKey, String reason);

    /** Starts a named execution of the retraining state machine for a model with an input. */
    @FunctionalInterface
    interface ExecutionStart {
        void start(String model, String executionName, ObjectNode input);
    }

    /**
     * A starter for executions with {@code trigger}: names the execution ({@link ExecutionNames#manual}), builds its
     * {@link #input} and hands both to {@code start} (Step Functions' StartExecution, or the local engine).
     */
    static RetrainingStarter of(String trigger, ExecutionStart start) {
        return (model, datasetBucket, datasetKey, reason) -> {
            String name = ExecutionNames.manual(model, trigger);
            start.start(model, name, input(model, trigger, datasetBucket, datasetKey, reason));
            return name;
        };
    }

    /** The input of an automatically triggered execution (read by the pipeline's validate task). */
    static ObjectNode input(String model, String trigger, String datasetBucket, String datasetKey, String reason) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("model_name", model).put("trigger", trigger)
                .put("reason", reason);
        input.putObject("dataset").put("bucket", datasetBucket).put("key", datasetKey);
        return input;
    }
}
