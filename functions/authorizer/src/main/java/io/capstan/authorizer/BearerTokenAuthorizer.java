package io.capstan.authorizer;

import io.capstan.authorizer.AuthorizationDecision.Allowed;
import io.capstan.authorizer.AuthorizationDecision.Denied;
import io.capstan.authorizer.AuthorizationDecision.DenialReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Decides whether an {@code Authorization} header carries a known bearer token, as MLflow clients send it
 * ({@code Authorization: Bearer <MLFLOW_TRACKING_TOKEN>}). The scheme is matched case-insensitively; the
 * token is hashed with SHA-256 and looked up among the stored digests. Digests are fetched only for
 * well-formed headers, so garbage requests never reach the secret store.
 */
public final class BearerTokenAuthorizer {

    /** Longer tokens are refused unhashed; generated tokens are far shorter. */
    public static final int MAX_TOKEN_LENGTH = 512;
    private static final String SCHEME = "bearer";

    private final TokenDigestsSource digests;

    public BearerTokenAuthorizer(TokenDigestsSource digests) {
        this.digests = Objects.requireNonNull(digests, "digests");
    }

    /**
     * @param authorizationHeader the header's value, or null when the request has none
     * @return who the caller is, or why it is denied
     * @throws InvalidTokenSecretException when the stored digests are unusable
     */
    public AuthorizationDecision authorize(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Denied(DenialReason.MISSING_CREDENTIALS);
        }
        String value = authorizationHeader.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return new Denied(DenialReason.MALFORMED_CREDENTIALS);
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || token.indexOf(' ') >= 0) {
            return new Denied(DenialReason.MALFORMED_CREDENTIALS);
        }
        return digests.current().callerFor(sha256(token))
                .<AuthorizationDecision>map(Allowed::new)
                .orElseGet(() -> new Denied(DenialReason.UNKNOWN_TOKEN));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
