package io.capstan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void parse_repeatedEncodedAndBareKeys_areDecoded() {
        var query = QueryString.parse("a=1&a=2&b=x%20y%26z&c=p+q&flag&&%C3%A9t%C3%A9=%E2%9C%93&empty=");

        assertThat(query).containsEntry("a", List.of("1", "2"))
                .containsEntry("b", List.of("x y&z"))
                .containsEntry("c", List.of("p q"))
                .containsEntry("flag", List.of(""))
                .containsEntry("été", List.of("✓"))
                .containsEntry("empty", List.of(""))
                .hasSize(6);
    }

    @Test
    void parse_nullOrEmpty_isEmpty() {
        assertThat(QueryString.parse(null)).isEmpty();
        assertThat(QueryString.parse("")).isEmpty();
    }

    @Test
    void parse_malformedEscape_isRefused() {
        assertThatThrownBy(() -> QueryString.parse("x=%zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
