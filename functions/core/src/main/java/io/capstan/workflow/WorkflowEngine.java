package io.capstan.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Runs one state machine's executions by name: Step Functions in AWS, the local interpreter on the embedded
 * platform. Batch predictions and distributed drift checks each have one.
 */
public interface WorkflowEngine {

    /** An execution's state, as Step Functions names them ({@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, ...). */
    record Execution(String status, long startedAt, Optional<Long> stoppedAt, Optional<String> error,
                     Optional<String> cause) {
    }

    /** Starts the execution named {@code name} with {@code input}; starting one that exists is a no-op. */
    void start(String name, JsonNode input);

    /** The execution named {@code name}; empty when there is none. */
    Optional<Execution> execution(String name);
}
