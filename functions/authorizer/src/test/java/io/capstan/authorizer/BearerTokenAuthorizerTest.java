package io.capstan.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.authorizer.AuthorizationDecision.Allowed;
import io.capstan.authorizer.AuthorizationDecision.Denied;
import io.capstan.authorizer.AuthorizationDecision.DenialReason;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenAuthorizerTest {

    private static final String TOKEN = "cap_3q2+7w-8_Zz";
    private static final TokenDigests DIGESTS = new TokenDigests(Map.of(
            "ci", HexFormat.of().formatHex(BearerTokenAuthorizer.sha256(TOKEN)),
            "alice", HexFormat.of().formatHex(BearerTokenAuthorizer.sha256("another-token"))));
    private static final TokenDigestsSource UNREACHABLE = () -> {
        throw new AssertionError("digests must not be read for this header");
    };

    private final BearerTokenAuthorizer authorizer = new BearerTokenAuthorizer(() -> DIGESTS);

    @Test
    void authorize_knownToken_allowsItsCaller() {
        AuthorizationDecision decision = authorizer.authorize("Bearer " + TOKEN);

        assertThat(decision).isEqualTo(new Allowed("ci"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "  Bearer   "})
    void authorize_schemeInAnyCaseAndExtraSpaces_allows(String prefix) {
        AuthorizationDecision decision = authorizer.authorize(prefix + TOKEN + " ");

        assertThat(decision).isEqualTo(new Allowed("ci"));
    }

    @Test
    void authorize_unknownToken_deniesAsUnknown() {
        AuthorizationDecision decision = authorizer.authorize("Bearer not-a-stored-token");

        assertThat(decision).isEqualTo(new Denied(DenialReason.UNKNOWN_TOKEN));
    }

    @Test
    void authorize_tokenDifferingInCase_deniesAsUnknown() {
        AuthorizationDecision decision = authorizer.authorize("Bearer " + TOKEN.toUpperCase());

        assertThat(decision).isEqualTo(new Denied(DenialReason.UNKNOWN_TOKEN));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void authorize_noHeader_deniesWithoutReadingDigests(String header) {
        AuthorizationDecision decision = new BearerTokenAuthorizer(UNREACHABLE).authorize(header);

        assertThat(decision).isEqualTo(new Denied(DenialReason.MISSING_CREDENTIALS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer    ", "Basic dXNlcjpwYXNz", "Token abc", "Bearertoken", "Bearer a b"})
    void authorize_notABearerToken_deniesWithoutReadingDigests(String header) {
        AuthorizationDecision decision = new BearerTokenAuthorizer(UNREACHABLE).authorize(header);

        assertThat(decision).isEqualTo(new Denied(DenialReason.MALFORMED_CREDENTIALS));
    }

    @Test
    void authorize_overlongToken_deniesWithoutReadingDigests() {
        String header = "Bearer " + "x".repeat(BearerTokenAuthorizer.MAX_TOKEN_LENGTH + 1);

        AuthorizationDecision decision = new BearerTokenAuthorizer(UNREACHABLE).authorize(header);

        assertThat(decision).isEqualTo(new Denied(DenialReason.MALFORMED_CREDENTIALS));
    }

    @Test
    void authorize_noTokensStored_deniesAsUnknown() {
        AuthorizationDecision decision = new BearerTokenAuthorizer(TokenDigests::none).authorize("Bearer " + TOKEN);

        assertThat(decision).isEqualTo(new Denied(DenialReason.UNKNOWN_TOKEN));
    }

    @Test
    void authorize_digestsUnreadable_propagatesTheFailure() {
        BearerTokenAuthorizer failing = new BearerTokenAuthorizer(() -> {
            throw new InvalidTokenSecretException("broken");
        });

        assertThatThrownBy(() -> failing.authorize("Bearer " + TOKEN)).isInstanceOf(InvalidTokenSecretException.class);
    }

    @Test
    void sha256_knownVector_matchesSha256sum() {
        String hex = HexFormat.of().formatHex(BearerTokenAuthorizer.sha256("abc"));

        assertThat(hex).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
