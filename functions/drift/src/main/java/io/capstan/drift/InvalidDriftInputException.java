package io.capstan.drift;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;

/** Input a drift check cannot use: a missing column, a value that is not a number, an unreadable file. */
public final class InvalidDriftInputException extends CapstanException {
    public InvalidDriftInputException(String message) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public InvalidDriftInputException(String message, Throwable cause) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, message, cause);
    }
}
