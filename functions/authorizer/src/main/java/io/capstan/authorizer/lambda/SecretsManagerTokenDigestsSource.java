package io.capstan.authorizer.lambda;

import io.capstan.authorizer.TokenDigests;
import io.capstan.authorizer.TokenDigestsSource;
import io.capstan.authorizer.TokenSecretFormat;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Reads the token digests from one Secrets Manager secret, on every call (put a cache in front of it). */
public final class SecretsManagerTokenDigestsSource implements TokenDigestsSource {

    private final SecretsManagerClient secretsManager;
    private final String secretId;

    /**
     * @param secretsManager the client to call {@code GetSecretValue} with
     * @param secretId       the secret's ARN (or name)
     */
    public SecretsManagerTokenDigestsSource(SecretsManagerClient secretsManager, String secretId) {
        this.secretsManager = Objects.requireNonNull(secretsManager, "secretsManager");
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalArgumentException("secretId must name the token secret");
        }
        this.secretId = secretId;
    }

    @Override
    public TokenDigests current() {
        String value = secretsManager.getSecretValue(r -> r.secretId(secretId)).secretString();
        return TokenSecretFormat.parse(value);
    }
}
