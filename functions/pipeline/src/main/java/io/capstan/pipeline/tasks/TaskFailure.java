package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A pipeline task that cannot succeed, with the error name the state machine sees (its Catch clauses match on it
 * locally; in AWS Lambda reports the class name) and a cause that carries the tracking run, so the failure can be
 * recorded on it.
 */
public final class TaskFailure extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String errorName;
    private final transient String runId;

    /**
     * @param errorName what failed, e.g. {@code DatasetInvalid}
     * @param message   what is wrong, for a person
     * @param runId     the tracking run of the execution, empty when none exists yet
     */
    public TaskFailure(String errorName, String message, String runId) {
        super(Objects.requireNonNull(message, "message"));
        this.errorName = Objects.requireNonNull(errorName, "errorName");
        this.runId = runId == null ? "" : runId;
    }

    public String errorName() {
        return errorName;
    }

    public String runId() {
        return runId;
    }

    /** The cause as the state machine carries it: {@code {"message": …, "run_id": …}}. */
    public String causeJson() {
        ObjectNode cause = JSON.createObjectNode().put("message", getMessage());
        if (!runId.isEmpty()) {
            cause.put("run_id", runId);
        }
        return cause.toString();
    }
}
