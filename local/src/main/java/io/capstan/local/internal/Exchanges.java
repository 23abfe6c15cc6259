package io.capstan.local.internal;

import io.capstan.error.ErrorCode;
import io.capstan.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pieces of HTTP the local listeners share with their routers: query strings, and errors in MLflow's shape. */
public final class Exchanges {

    private Exchanges() {
    }

    /** Parses a raw query string: {@code a=1&a=2&b=x%20y&flag} gives {@code a=[1,2], b=[x y], flag=[""]}. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> query = new HashMap<>();
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String name = decode(rawQuery.substring(start, hasValue ? eq : end));
                String value = hasValue ? decode(rawQuery.substring(eq + 1, end)) : "";
                query.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return query;
    }

    /** An error in MLflow's shape {@code {"error_code": ..., "message": ...}}, with the code's HTTP status. */
    public static HttpResponse error(ErrorCode code, String message) {
        return error(code.httpStatus(), code, message, Map.of());
    }

    /**
     * An error in MLflow's shape with a status of its own, for the few HTTP answers MLflow's codes have no status for
     * (405 with its {@code Allow} header).
     */
    public static HttpResponse error(int status, ErrorCode code, String message, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", HttpResponse.JSON);
        return new HttpResponse(status, all, ("{\"error_code\": \"" + code.name() + "\", \"message\": "
                + quote(message) + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** At most 200 characters of client text for a message, control characters escaped. */
    public static String printable(String text) {
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length() + 2).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.append('\'').toString();
    }

    private static String decode(String text) {
        return text.indexOf('%') < 0 && text.indexOf('+') < 0 ? text : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
