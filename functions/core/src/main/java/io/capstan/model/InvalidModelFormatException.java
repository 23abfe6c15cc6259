package io.capstan.model;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;

/** A model in a form Capstan cannot read: a malformed {@code MLmodel} file, signature or serving manifest. */
public final class InvalidModelFormatException extends CapstanException {
    public InvalidModelFormatException(String message) {
        super(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }
}
