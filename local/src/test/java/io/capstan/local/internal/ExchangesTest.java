package io.capstan.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangesTest {

    @Test
    void parseQuery_repeatedEncodedAndBareKeys_areDecoded() {
        var query = Exchanges.parseQuery("a=1&a=2&b=x%20y%26z&c=p+q&flag&&%C3%A9t%C3%A9=%E2%9C%93&empty=");

        assertThat(query).containsEntry("a", List.of("1", "2"))
                .containsEntry("b", List.of("x y&z"))
                .containsEntry("c", List.of("p q"))
                .containsEntry("flag", List.of(""))
                .containsEntry("été", List.of("✓"))
                .containsEntry("empty", List.of(""))
                .hasSize(6);
    }

    @Test
    void parseQuery_nullOrEmpty_isEmpty() {
        assertThat(Exchanges.parseQuery(null)).isEmpty();
        assertThat(Exchanges.parseQuery("")).isEmpty();
    }

    @Test
    void parseQuery_malformedEscape_isRefused() {
        assertThatThrownBy(() -> Exchanges.parseQuery("x=%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quote_specialCharacters_areEscaped() {
        assertThat(Exchanges.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
