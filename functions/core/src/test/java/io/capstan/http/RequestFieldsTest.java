package io.capstan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

    @Test
    void optionalString_nulEscapeInBody_isRefusedNamingTheField() {
        // given
        RequestFields fields = RequestFields.of(post("{\"name\": \"a\\u0000b\"}"));

        // when / then
        assertThatThrownBy(() -> fields.optionalString("name"))
                .isInstanceOf(CapstanException.class).hasMessageContaining("'name'").hasMessageContaining("NUL");
    }

    @Test
    void objectList_loneSurrogateInNestedField_isRefusedNamingTheNestedField() {
        // given
        RequestFields fields = RequestFields.of(post("{\"tags\": [{\"key\": \"k\", \"value\": \"\\ud800\"}]}"));
        RequestFields tag = fields.objectList("tags").get(0);

        // when / then
        assertThat(tag.requiredString("key")).isEqualTo("k");
        assertThatThrownBy(() -> tag.optionalString("value")).hasMessageContaining("'tags.value'")
                .hasMessageContaining("unpaired UTF-16 surrogate");
    }

    @Test
    void stringList_nulInQueryValue_isRefused() {
        // given
        RequestFields fields = RequestFields.of(new HttpRequest("GET", "/x", Map.of("stages", List.of("ok", "n\u0000")),
                Map.of(), null, "test"));

        // when / then
        assertThatThrownBy(() -> fields.stringList("stages")).hasMessageContaining("'stages'");
    }

    @Test
    void of_invalidUtf8InBody_isMalformedRequest() {
        // given
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'};

        // when / then
        assertThatThrownBy(() -> RequestFields.of(new HttpRequest("POST", "/x", Map.of(), Map.of(), body, "test")))
                .isInstanceOf(CapstanException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void of_nestingDeeperThanJacksonAllows_isMalformedRequest() {
        // given
        String deep = "{\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}";

        // when / then
        assertThatThrownBy(() -> RequestFields.of(post(deep))).isInstanceOf(CapstanException.class)
                .hasMessageContaining("not valid JSON");
    }

    private static HttpRequest post(String json) {
        return new HttpRequest("POST", "/x", Map.of(), Map.of(), json.getBytes(StandardCharsets.UTF_8), "test");
    }
}
