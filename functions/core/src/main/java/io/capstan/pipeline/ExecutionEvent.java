package io.capstan.pipeline;

import java.util.Objects;

/**
 * One entry of an execution's history, as Step Functions' execution history or the local interpreter's event log
 * reports it.
 *
 * @param timestamp epoch milliseconds
 * @param type      {@code StateEntered}, {@code StateExited}, {@code StateRetried}, {@code StateCaught},
 *                  {@code StateFailed}, {@code ExecutionSucceeded}, …
 * @param state     the state's name, empty for execution-level events
 * @param error     the error name, empty when none
 * @param cause     the error's cause, empty when none
 */
public record ExecutionEvent(long timestamp, String type, String state, String error, String cause) {
    public ExecutionEvent {
        Objects.requireNonNull(type, "type");
        state = state == null ? "" : state;
        error = error == null ? "" : error;
        cause = cause == null ? "" : cause;
    }
}
