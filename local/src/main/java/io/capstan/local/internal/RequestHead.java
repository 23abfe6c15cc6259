package io.capstan.local.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request's line and headers as read off a connection, before its body: what a listener's {@link Router} decides
 * on.
 *
 * @param method        the method, as sent (methods are case-sensitive)
 * @param path          the request path, percent-decoded (UTF-8), starting with {@code /}
 * @param query         the decoded query parameters; a name may repeat
 * @param http10        whether the request is HTTP/1.0 (otherwise 1.1)
 * @param headers       the headers by lower-case name; repeated headers joined with {@code ,}
 * @param contentLength the declared body length, -1 when none is declared
 * @param chunked       whether the body comes in chunks ({@code Transfer-Encoding: chunked})
 */
public record RequestHead(String method, String path, Map<String, List<String>> query, boolean http10,
                          Map<String, String> headers, long contentLength, boolean chunked) {

    public RequestHead {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
    }

    /** A header's value; {@code name} in any case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether a body follows the head. */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
