package io.capstan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldLimitsTest {

    @ParameterizedTest
    @ValueSource(strings = {"nul\u0000inside", "\u0000", "high\ud800alone", "low\udc00first", "reversed\udc00\ud800",
        "ends high\ud83d"})
    void checkCharacters_nulOrUnpairedSurrogate_isInvalidParameterNamingTheField(String value) {
        // when / then
        assertThatThrownBy(() -> FieldLimits.checkCharacters("tags.value", value))
                .isInstanceOfSatisfying(CapstanException.class, e ->
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("'tags.value'");
    }

    @Test
    void checkCharacters_pairedSurrogatesAndControlCharacters_areKept() {
        // given
        String value = "emoji \ud83d\ude00, tab\t, newline\n, é";

        // when
        String checked = FieldLimits.checkCharacters("description", value);

        // then
        assertThat(checked).isSameAs(value);
        assertThat(FieldLimits.checkCharacters("description", null)).isNull();
    }

    @Test
    void checkLength_overTheLimit_namesFieldAndLimitAsMlflow3Does() {
        // given
        String name = "a".repeat(501);

        // when / then
        assertThatThrownBy(() -> FieldLimits.checkLength("name", name, 500))
                .isInstanceOf(CapstanException.class)
                .hasMessageStartingWith("'name' exceeds the maximum length of 500 characters")
                .hasMessageContaining("got 501");
    }

    @Test
    void checkLength_countsCodePointsAsPythonsLen() {
        // given: 500 characters outside the BMP are 1000 UTF-16 units
        String emoji = "\ud83d\ude00".repeat(500);

        // when
        String checked = FieldLimits.checkLength("name", emoji, 500);

        // then
        assertThat(checked).isSameAs(emoji);
        assertThatThrownBy(() -> FieldLimits.checkLength("name", emoji + "x", 500)).hasMessageContaining("got 501");
    }

    @Test
    void checkBytes_countsUtf8Bytes() {
        // given: 512 two-byte characters are 1024 bytes; one more is over S3's key limit
        String key = "é".repeat(512);

        // when
        String checked = FieldLimits.checkBytes("path", key, 1024);

        // then
        assertThat(checked).isSameAs(key);
        assertThatThrownBy(() -> FieldLimits.checkBytes("path", key + "é", 1024))
                .hasMessageContaining("'path' exceeds the maximum length of 1024 bytes in UTF-8 (got 1026)");
    }

    @Test
    void utf8Length_matchesTheEncoder() {
        // given
        String text = "a é € \ud83d\ude00";

        // when
        int length = FieldLimits.utf8Length(text);

        // then
        assertThat(length).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void shown_longValue_isCutToAHundredCharactersWithItsLength() {
        // given
        String value = "x".repeat(1_000_000);

        // when
        String shown = FieldLimits.shown(value);

        // then
        assertThat(shown).hasSizeLessThan(140).startsWith("x".repeat(100)).endsWith("(1000000 characters)");
        assertThat(FieldLimits.shown("short")).isEqualTo("short");
    }
}
