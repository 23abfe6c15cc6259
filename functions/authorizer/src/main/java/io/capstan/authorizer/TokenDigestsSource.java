package io.capstan.authorizer;

/** Where the current {@link TokenDigests} come from (a secret, a cache in front of it, a fixed set in tests). */
@FunctionalInterface
public interface TokenDigestsSource {

    /**
     * The digests in force now.
     *
     * @throws InvalidTokenSecretException when the stored digests cannot be read as digests
     * @throws RuntimeException            when the store cannot be reached (the request fails and may be retried)
     */
    TokenDigests current();
}
