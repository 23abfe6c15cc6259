package io.capstan.authorizer;

import java.util.Objects;

/** The outcome of checking one request's credentials: allowed as a named caller, or denied for a reason. */
public sealed interface AuthorizationDecision {

    /**
     * The token matched a stored digest.
     *
     * @param caller the name under which the token's digest is stored, never null
     */
    record Allowed(String caller) implements AuthorizationDecision {
        public Allowed {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /**
     * The request does not carry a known bearer token.
     *
     * @param reason why, safe to log (it never contains the token)
     */
    record Denied(DenialReason reason) implements AuthorizationDecision {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a request was denied. */
    enum DenialReason {
        /** No {@code Authorization} header, or an empty one. */
        MISSING_CREDENTIALS,
        /** The header is not {@code Bearer <token>}, or the token is empty or too long. */
        MALFORMED_CREDENTIALS,
        /** A well-formed bearer token whose digest is not stored. */
        UNKNOWN_TOKEN
    }
}
