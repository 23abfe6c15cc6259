package io.capstan.pipeline.tasks;

/**
 * A task that failed on a dependency's fault (a throttled or unavailable AWS service) and may succeed when retried:
 * the state machine's Retry clauses name this class, which is the error Lambda reports for it (its class name) and
 * the error the embedded platform reports.
 */
public final class TemporarilyUnavailable extends RuntimeException {
    /** The error name the state machine sees. */
    public static final String ERROR = TemporarilyUnavailable.class.getName();

    public TemporarilyUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
