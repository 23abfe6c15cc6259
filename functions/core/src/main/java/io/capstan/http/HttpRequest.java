package io.capstan.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as every Capstan function sees it, whichever gateway delivered it (API Gateway or the
 * local gateway).
 *
 * @param method      upper-case HTTP method
 * @param path        decoded request path, starting with {@code /}
 * @param query       decoded query parameters; a key may repeat
 * @param headers     headers with lower-case names
 * @param body        raw body, empty when none
 * @param callerId    the authenticated caller (IAM ARN, token subject, or {@code local}), never null
 */
public record HttpRequest(String method, String path, Map<String, List<String>> query,
                          Map<String, String> headers, byte[] body, String callerId) {

    public HttpRequest {
        method = method.toUpperCase(Locale.ROOT);
        query = copyQuery(query);
        headers = lowerCaseKeys(headers);
        body = body == null ? new byte[0] : body;
        callerId = callerId == null || callerId.isBlank() ? "unknown" : callerId;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> copyQuery(Map<String, List<String>> query) {
        if (query == null) {
            return Map.of();
        }
        Map<String, List<String>> copy = new TreeMap<>();
        query.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> headers) {
        if (headers == null) {
            return Map.of();
        }
        Map<String, String> copy = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        return Map.copyOf(copy);
    }
}
