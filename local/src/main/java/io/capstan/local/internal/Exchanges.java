package io.capstan.local.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.capstan.error.ErrorCode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translation between {@code com.sun.net.httpserver} exchanges and Capstan's {@link HttpRequest} and
 * {@link HttpResponse}, and the gateway's own error responses in MLflow's shape.
 */
public final class Exchanges {

    /** What is read and thrown away of an oversized body so the client gets the 413 instead of a reset. */
    private static final long DRAIN_LIMIT = 1L << 30;

    private Exchanges() {
    }

    /**
     * The request body, or empty when it is longer than {@code limit} bytes. An oversized body is never held in
     * memory: with a Content-Length it is not read at all, without one reading stops past the limit.
     */
    public static Optional<byte[]> readBody(HttpExchange exchange, int limit) throws IOException {
        InputStream in = exchange.getRequestBody();
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > limit) {
                return Optional.empty();
            }
            // the JDK server already bounds the stream by Content-Length
            return Optional.of(declared == 0 ? new byte[0] : in.readNBytes((int) declared));
        }
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? Optional.empty() : Optional.of(body);
    }

    /**
     * Reads and discards what is left of the request body, up to a bound.
     *
     * @return whether the whole body was consumed (the connection can be kept)
     */
    public static boolean drain(HttpExchange exchange) throws IOException {
        // read, not skip: the JDK server's bounded body streams inherit FilterInputStream.skip, which skips on
        // the raw socket past the end of the body and then blocks waiting for bytes that never come
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[64 * 1024];
        long left = DRAIN_LIMIT;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                return true;
            }
            left -= read;
        }
        return false;
    }

    /** The request as a function sees it; throws IllegalArgumentException for a malformed query string. */
    public static HttpRequest toRequest(HttpExchange exchange, String method, String path, byte[] body) {
        return new HttpRequest(method, path, parseQuery(exchange.getRequestURI().getRawQuery()),
                headers(exchange.getRequestHeaders()), body, "local");
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

    /** Writes a function's response. */
    public static void send(HttpExchange exchange, HttpResponse response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        byte[] body = response.body();
        int status = response.status();
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Writes the gateway's own error in MLflow's shape {@code {"error_code": ..., "message": ...}}. */
    public static void sendError(HttpExchange exchange, ErrorCode code, String message, boolean closeConnection)
            throws IOException {
        if (closeConnection) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        send(exchange, HttpResponse.json(code.httpStatus(),
                "{\"error_code\": \"" + code.name() + "\", \"message\": " + quote(message) + "}"));
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

    private static Map<String, String> headers(Headers requestHeaders) {
        Map<String, String> headers = new HashMap<>(requestHeaders.size() * 2);
        requestHeaders.forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, values.size() == 1 ? values.get(0) : String.join(",", values));
            }
        });
        return headers;
    }

    private static String decode(String text) {
        return text.indexOf('%') < 0 && text.indexOf('+') < 0 ? text : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
