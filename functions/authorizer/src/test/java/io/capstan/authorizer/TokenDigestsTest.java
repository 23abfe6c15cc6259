package io.capstan.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenDigestsTest {

    private static final String ALICE_TOKEN = "alice-token";
    private static final String ALICE_HEX = HexFormat.of().formatHex(BearerTokenAuthorizer.sha256(ALICE_TOKEN));

    @Test
    void callerFor_storedDigest_returnsItsName() {
        TokenDigests digests = new TokenDigests(Map.of("alice", ALICE_HEX, "bob", "0".repeat(64)));

        assertThat(digests.callerFor(BearerTokenAuthorizer.sha256(ALICE_TOKEN))).contains("alice");
    }

    @Test
    void callerFor_unknownDigest_returnsEmpty() {
        TokenDigests digests = new TokenDigests(Map.of("alice", ALICE_HEX));

        assertThat(digests.callerFor(BearerTokenAuthorizer.sha256("someone-else"))).isEmpty();
    }

    @Test
    void constructor_upperCaseHexWithWhitespace_isNormalized() {
        TokenDigests digests = new TokenDigests(Map.of("alice", " " + ALICE_HEX.toUpperCase() + "\n"));

        assertThat(digests.hexByName()).containsEntry("alice", ALICE_HEX);
    }

    @Test
    void constructor_rawTokenInsteadOfDigest_throwsNamingTheEntry() {
        assertThatThrownBy(() -> new TokenDigests(Map.of("ci", "my-plain-token")))
                .isInstanceOf(InvalidTokenSecretException.class)
                .hasMessageContaining("'ci'")
                .hasMessageContaining("sha256sum")
                .hasMessageNotContaining("my-plain-token");
    }

    @Test
    void constructor_blankName_throws() {
        Map<String, String> entries = new HashMap<>();
        entries.put(" ", ALICE_HEX);

        assertThatThrownBy(() -> new TokenDigests(entries)).isInstanceOf(InvalidTokenSecretException.class);
    }

    @Test
    void none_matchesNothing() {
        assertThat(TokenDigests.none().callerFor(BearerTokenAuthorizer.sha256(ALICE_TOKEN))).isEmpty();
    }
}
