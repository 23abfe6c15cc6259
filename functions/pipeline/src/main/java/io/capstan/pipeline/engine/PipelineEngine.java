package io.capstan.pipeline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.PipelineExecution;
import java.util.List;
import java.util.Optional;

/**
 * What runs the retraining state machine: Step Functions in AWS, the local interpreter on one machine. Both run
 * the same definition, {@code step-functions/retrain.asl.json}.
 */
public interface PipelineEngine {

    /**
     * Starts an execution; starting one with the name of an existing execution returns that execution.
     *
     * @param input the execution input ({@code model_name}, {@code dataset}, {@code trigger}, overrides)
     */
    PipelineExecution start(String modelName, String executionName, JsonNode input, String trigger);

    /** The model's executions, newest first. */
    List<PipelineExecution> executions(String modelName);

    Optional<PipelineExecution> execution(String modelName, String executionName);

    /** The execution's state history, oldest first. */
    List<ExecutionEvent> history(String modelName, String executionName);

    /** Resumes an execution waiting in its approval state with the decision. */
    void resume(ApprovalRequest decided);
}
