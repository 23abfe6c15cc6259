package io.capstan.local.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request's line and headers (RFC 9112) within fixed limits, and says exactly what is wrong with one that
 * cannot be served: a bad {@code %} escape, a NUL in the path, a line over the limit, a header that is not a token.
 */
final class HeadParser {
    /** The longest request line: a 64 KiB URL is far past what any MLflow client sends. */
    static final int MAX_REQUEST_LINE = 64 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 128;
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    /** What reading a head gave. */
    sealed interface Outcome permits RequestHead, Malformed, Closed {
    }

    /** A head that cannot be served; {@code message} says why, for the client. */
    record Malformed(String message) implements Outcome {
    }

    /** The client closed the connection before a request began. */
    record Closed() implements Outcome {
    }

    private HeadParser() {
    }

    /** Reads one head; the caller has set the deadline. */
    static Outcome read(SocketInput in) throws IOException {
        String line;
        int empty = 0;
        try {
            do {
                line = in.readLine(MAX_REQUEST_LINE);
                if (line == null) {
                    return new Closed();
                }
            } while (line.isEmpty() && ++empty <= MAX_LEADING_EMPTY_LINES);
        } catch (SocketInput.LineTooLong e) {
            return new Malformed("The request line is longer than " + MAX_REQUEST_LINE + " bytes; send long values "
                    + "in a POST body instead of the query string");
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !isToken(parts[0])) {
            return new Malformed("Malformed request line; expected <method> <path> HTTP/1.1");
        }
        boolean http10;
        if (parts[2].equals("HTTP/1.1")) {
            http10 = false;
        } else if (parts[2].equals("HTTP/1.0")) {
            http10 = true;
        } else {
            return new Malformed("Unsupported protocol " + printable(parts[2]) + "; this server speaks HTTP/1.1");
        }
        Map<String, String> headers = new HashMap<>();
        String problem = readHeaders(in, headers);
        if (problem != null) {
            return new Malformed(problem);
        }
        return target(parts[0], parts[1], http10, headers);
    }

    private static String readHeaders(SocketInput in, Map<String, String> headers) throws IOException {
        int total = 0;
        int count = 0;
        while (true) {
            String line;
            try {
                line = in.readLine(MAX_HEADER_BYTES);
            } catch (SocketInput.LineTooLong e) {
                return "The request headers are longer than " + MAX_HEADER_BYTES + " bytes";
            }
            if (line == null) {
                throw new java.io.EOFException("the client closed the connection in the middle of the headers");
            }
            if (line.isEmpty()) {
                return null;
            }
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES || ++count > MAX_HEADERS) {
                return "The request headers are longer than " + MAX_HEADER_BYTES + " bytes or " + MAX_HEADERS
                        + " fields";
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                return "Folded header lines are not accepted (RFC 9112 section 5.2)";
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                return "Malformed header line " + printable(line.substring(0, Math.min(line.length(), 64)));
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return "The " + name + " header holds a control character";
                }
            }
            String earlier = headers.putIfAbsent(name, value);
            if (earlier != null) {
                if (name.equals("host") || name.equals("content-length") || name.equals("transfer-encoding")) {
                    return "The " + name + " header is repeated";
                }
                headers.put(name, earlier + "," + value);
            }
        }
    }

    private static Outcome target(String method, String target, boolean http10, Map<String, String> headers) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return new Malformed("The request target holds a character that must be percent-encoded (code "
                        + (int) c + " at index " + i + ")");
            }
        }
        if (!target.startsWith("/")) {
            return new Malformed("The request target must be a path starting with /, got " + printable(target));
        }
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? null : target.substring(question + 1);
        String path;
        try {
            path = decodePath(rawPath);
        } catch (IllegalArgumentException e) {
            return new Malformed("Malformed request path " + printable(rawPath) + ": " + e.getMessage());
        }
        Map<String, List<String>> query;
        try {
            query = Exchanges.parseQuery(rawQuery);
        } catch (IllegalArgumentException e) {
            return new Malformed("Malformed query string: " + e.getMessage());
        }
        String transferEncoding = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        if (transferEncoding != null) {
            if (length != null) {
                return new Malformed("A request cannot have both Content-Length and Transfer-Encoding");
            }
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                return new Malformed("Unsupported Transfer-Encoding " + printable(transferEncoding)
                        + "; only chunked is accepted");
            }
            return new RequestHead(method, path, query, http10, headers, -1, true);
        }
        long contentLength = -1;
        if (length != null) {
            if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new Malformed("Malformed Content-Length " + printable(length));
            }
            contentLength = Long.parseLong(length);
        }
        return new RequestHead(method, path, query, http10, headers, contentLength, false);
    }

    /** Percent-decodes a path as UTF-8; refuses bad escapes, malformed UTF-8 and control characters. */
    static String decodePath(String raw) {
        String decoded = raw;
        if (raw.indexOf('%') >= 0) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c != '%') {
                    bytes.write(c);
                    continue;
                }
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("bad % escape at index " + i + " (a % must be followed by two "
                            + "hexadecimal digits; send a literal % as %25)");
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            }
            try {
                decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the escapes are not UTF-8");
            }
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(c == 0 ? "a NUL character is not allowed in a path"
                        : "control character " + (int) c + " is not allowed in a path");
            }
        }
        return decoded;
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** At most 200 characters of client text for a message, control characters escaped. */
    static String printable(String text) {
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length() + 2).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.append('\'').toString();
    }
}
