package io.capstan.predict.batch;

/**
 * The model refused rows of a chunk (a cell that is no number, a column missing): the same on every attempt, so the
 * batch state machine does not retry it (its Retry names this class, as Lambda reports a Java function's error by its
 * exception's class name) and records the chunk as failed at once.
 */
public final class RowsRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public RowsRefusedException(String message) {
        super(message);
    }
}
