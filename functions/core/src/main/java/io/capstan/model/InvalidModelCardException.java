package io.capstan.model;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;

/** A model card that cannot be used: malformed JSON, a missing or wrong field, or a contradiction in it. */
public final class InvalidModelCardException extends CapstanException {
    public InvalidModelCardException(String message) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid model card: " + message);
    }
}
