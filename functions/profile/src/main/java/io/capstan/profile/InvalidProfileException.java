package io.capstan.profile;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;

/** A profile or streaming sketch that cannot be built or read: bad column data, malformed JSON or bytes. */
public final class InvalidProfileException extends CapstanException {
    public InvalidProfileException(String message) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public InvalidProfileException(String message, Throwable cause) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, message, cause);
    }
}
