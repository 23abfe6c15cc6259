package io.capstan.pipeline;

import java.util.Objects;

/**
 * One execution of the retraining state machine for a model.
 *
 * @param modelName the registered model it retrains
 * @param name      the execution name, unique per state machine (derived from the trigger, so a repeated trigger
 *                  names the same execution)
 * @param status    {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code ABORTED}, as Step
 *                  Functions reports it
 * @param startTime epoch milliseconds
 * @param stopTime  epoch milliseconds, null while running
 * @param trigger   what started it: {@code upload}, {@code manual}, {@code drift}
 * @param error     the error name when it failed, empty otherwise
 * @param cause     the failure's cause, or the outcome ({@code promoted v3}, {@code rejected: …}) when it ended
 */
public record PipelineExecution(String modelName, String name, String status, long startTime, Long stopTime,
                                String trigger, String error, String cause) {
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public PipelineExecution {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        trigger = trigger == null ? "" : trigger;
        error = error == null ? "" : error;
        cause = cause == null ? "" : cause;
    }

    public boolean running() {
        return status.equals(RUNNING);
    }

    public PipelineExecution ended(String newStatus, long time, String newError, String newCause) {
        return new PipelineExecution(modelName, name, newStatus, startTime, time, trigger, newError, newCause);
    }
}
