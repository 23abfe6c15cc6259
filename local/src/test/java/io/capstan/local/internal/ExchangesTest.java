package io.capstan.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.error.ErrorCode;
import io.capstan.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangesTest {

    @Test
    void error_specialCharactersInTheMessage_areEscapedInTheJson() throws Exception {
        HttpResponse error = Exchanges.error(405, ErrorCode.ENDPOINT_NOT_FOUND, "a\"b\\c\nd\u0001",
                Map.of("Allow", "GET"));

        JsonNode body = new ObjectMapper().readTree(error.body());
        assertThat(error.status()).isEqualTo(405);
        assertThat(error.headers()).containsEntry("Allow", "GET").containsEntry("Content-Type", HttpResponse.JSON);
        assertThat(body.get("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(body.get("message").asText()).isEqualTo("a\"b\\c\nd\u0001");
    }
}
