package io.capstan.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP response from a Capstan function.
 *
 * @param status  HTTP status code
 * @param headers response headers
 * @param body    raw body, empty when none
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    public static final String JSON = "application/json";

    public HttpResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, Map.of("Content-Type", JSON), json.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse bytes(int status, String contentType, byte[] body) {
        return new HttpResponse(status, Map.of("Content-Type", contentType), body);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the body is text a gateway may pass as is (otherwise it must be base64-encoded). */
    public boolean isTextual() {
        String type = headers.getOrDefault("Content-Type", "");
        return type.startsWith("application/json") || type.startsWith("text/");
    }
}
