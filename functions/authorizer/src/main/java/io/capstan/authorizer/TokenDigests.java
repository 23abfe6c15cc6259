package io.capstan.authorizer;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SHA-256 digests of the tokens that may call the API, by caller name.
 *
 * @param hexByName lower-case hex SHA-256 digest (64 characters) by caller name; upper-case hex is accepted
 *                  and normalized
 * @throws InvalidTokenSecretException when a name is blank or a digest is not 64 hex characters
 */
public record TokenDigests(Map<String, String> hexByName) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public TokenDigests {
        Objects.requireNonNull(hexByName, "hexByName");
        Map<String, String> normalized = new LinkedHashMap<>();
        hexByName.forEach((name, hex) -> {
            if (name == null || name.isBlank()) {
                throw new InvalidTokenSecretException("a token entry has a blank name; give every token a name");
            }
            String lower = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(lower).matches()) {
                throw new InvalidTokenSecretException("token '" + name + "' is not a SHA-256 digest: store the "
                        + "64 hex characters printed by `printf %s \"$TOKEN\" | sha256sum`, not the token itself");
            }
            normalized.put(name, lower);
        });
        hexByName = Map.copyOf(normalized);
    }

    /** No tokens: every bearer token is unknown. */
    public static TokenDigests none() {
        return new TokenDigests(Map.of());
    }

    /**
     * The caller whose stored digest equals {@code digest}. Every entry is compared, each with
     * {@link MessageDigest#isEqual}, so the time taken does not depend on which entry matches.
     */
    public Optional<String> callerFor(byte[] digest) {
        String match = null;
        for (Map.Entry<String, String> entry : hexByName.entrySet()) {
            if (MessageDigest.isEqual(HexFormat.of().parseHex(entry.getValue()), digest) && match == null) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }
}
