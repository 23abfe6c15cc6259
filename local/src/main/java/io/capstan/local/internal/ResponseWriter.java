package io.capstan.local.internal;

import io.capstan.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Writes responses on a connection: the status line, the headers with a Content-Length, then the body. */
final class ResponseWriter {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** Framing is the listener's business, never a function's. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection", "date",
            "keep-alive");
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(201, "Created"),
            Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(206, "Partial Content"),
            Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(304, "Not Modified"),
            Map.entry(307, "Temporary Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"), Map.entry(413, "Content Too Large"), Map.entry(414, "URI Too Long"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(503, "Service Unavailable"));

    private ResponseWriter() {
    }

    /** The interim answer to {@code Expect: 100-continue}. */
    static void writeContinue(OutputStream out) throws IOException {
        out.write(CONTINUE);
        out.flush();
    }

    /**
     * Writes {@code response}.
     *
     * @param headRequest whether the request was HEAD (headers only)
     * @param keepAlive   whether the connection stays open for another request
     * @param http10      whether the request was HTTP/1.0 (keeping its connection must then be said)
     */
    static void write(OutputStream out, HttpResponse response, boolean headRequest, boolean keepAlive, boolean http10)
            throws IOException {
        int status = response.status();
        byte[] body = response.body();
        boolean bodyless = status < 200 || status == 204 || status == 304;
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(REASONS.getOrDefault(status, "Status")).append("\r\n");
        response.headers().forEach((name, value) -> {
            if (!FRAMING.contains(name.toLowerCase(Locale.ROOT)) && isToken(name)) {
                head.append(name).append(": ").append(singleLine(value)).append("\r\n");
            }
        });
        head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        if (!bodyless) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (http10) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!bodyless && !headRequest) {
            out.write(body);
        }
        out.flush();
    }

    /** A header value cannot end the header: CR and LF from a function become spaces. */
    private static String singleLine(String value) {
        if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return value.replace('\r', ' ').replace('\n', ' ');
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ':') {
                return false;
            }
        }
        return true;
    }
}
