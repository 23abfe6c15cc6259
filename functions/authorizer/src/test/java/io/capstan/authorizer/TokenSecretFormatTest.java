package io.capstan.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenSecretFormatTest {

    private static final String HEX_A = "a".repeat(64);
    private static final String HEX_B = "b".repeat(64);

    @Test
    void parse_documentedShape_readsEveryEntry() {
        String json = "{\"tokens\": {\"ci\": \"" + HEX_A + "\", \"alice\": \"" + HEX_B + "\"}}";

        TokenDigests digests = TokenSecretFormat.parse(json);

        assertThat(digests.hexByName()).containsOnlyKeys("ci", "alice").containsEntry("ci", HEX_A);
    }

    @Test
    void parse_emptyTokens_readsNone() {
        TokenDigests digests = TokenSecretFormat.parse("{\"tokens\":{}}");

        assertThat(digests.hexByName()).isEmpty();
    }

    @Test
    void parse_otherTopLevelFields_areIgnored() {
        String json = "{\"note\": {\"owner\": [\"ops\"]}, \"tokens\": {\"ci\": \"" + HEX_A + "\"}, \"v\": 2}";

        TokenDigests digests = TokenSecretFormat.parse(json);

        assertThat(digests.hexByName()).containsOnlyKeys("ci");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "{}", "{\"tokens\": []}", "{\"tokens\": {\"ci\": 5}}",
            "{\"tokens\": {\"ci\": \"x\", \"ci\": \"y\"}}", "{\"tokens\": {\"ci\": "})
    void parse_wrongShape_throwsWithTheExpectedShape(String json) {
        assertThatThrownBy(() -> TokenSecretFormat.parse(json))
                .isInstanceOf(InvalidTokenSecretException.class)
                .hasMessageContaining("expected {\"tokens\"");
    }

    @Test
    void parse_null_throws() {
        assertThatThrownBy(() -> TokenSecretFormat.parse(null)).isInstanceOf(InvalidTokenSecretException.class);
    }

    @Test
    void parse_malformedJson_keepsSecretTextOutOfTheMessage() {
        assertThatThrownBy(() -> TokenSecretFormat.parse("{\"tokens\": {\"ci\": super-secret-token}}"))
                .isInstanceOf(InvalidTokenSecretException.class)
                .hasMessageNotContaining("super-secret-token");
    }
}
