package io.capstan.authorizer;

/**
 * The token secret's content cannot be used: not JSON, not of the shape {@code {"tokens": {"<name>": "<hex>"}}},
 * or an entry is not a SHA-256 digest. An administrator must fix the secret; retrying does not help. The message
 * names the entry and the fix, and never contains secret material.
 */
public class InvalidTokenSecretException extends RuntimeException {

    public InvalidTokenSecretException(String message) {
        super(message);
    }
}
