package io.capstan.error;

import java.util.Objects;

/**
 * The one unchecked root of Capstan's failures. {@link #errorCode()} decides the HTTP status and the
 * MLflow {@code error_code}; {@link #retryable()} tells whether the same request may succeed later
 * (a dependency's fault) or never will (the caller's fault).
 */
public class CapstanException extends RuntimeException {
    private final ErrorCode errorCode;
    private final boolean retryable;

    public CapstanException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public CapstanException(ErrorCode errorCode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.retryable = errorCode.httpStatus() >= 500 || errorCode == ErrorCode.REQUEST_LIMIT_EXCEEDED;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public boolean retryable() {
        return retryable;
    }

    public static CapstanException invalidParameter(String message) {
        return new CapstanException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static CapstanException notFound(String message) {
        return new CapstanException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static CapstanException alreadyExists(String message) {
        return new CapstanException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }

    public static CapstanException conflict(String message) {
        return new CapstanException(ErrorCode.RESOURCE_CONFLICT, message);
    }
}
