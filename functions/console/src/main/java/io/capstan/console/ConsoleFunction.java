package io.capstan.console;

import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The web console's pages: {@code GET /} answers the page, {@code GET /console/<file>} its scripts, styles and uPlot,
 * all read from the jar's {@code console/} folder (web/ in this module). The files hold no data: the page reads the
 * REST APIs with the caller's own token, so these routes need none. Every answer carries an ETag (a repeated request
 * with {@code If-None-Match} gets 304) and a content security policy that lets the page load only its own files and
 * call only its own origin.
 */
public final class ConsoleFunction implements Function<HttpRequest, HttpResponse> {
    /** The folder of the console's files in the jar. */
    static final String ROOT = "console/";
    /** The files loaded when the function is built (so that a SnapStart snapshot holds them). */
    static final List<String> PRELOADED = List.of("index.html", "app.js", "api.js", "dom.js", "console.css");
    /**
     * The drift report's one style sheet (HtmlReport in the drift function), which the console shows in a sandboxed
     * frame that inherits this policy; the browser test of the drift page fails when the two part.
     */
    private static final String DRIFT_REPORT_STYLE = "'sha256-Yb3/WeDB1pknMVwzUDQ2HvP1YQLvGj43kChzGmDoB94='";
    /** The quality report's one style sheet (QualityReportHtml in the quality function), admitted likewise. */
    private static final String QUALITY_REPORT_STYLE = "'sha256-aPg9614jHAaFRBNROXxOAhjluOwjJ8KUgn00rVePyvQ='";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + DRIFT_REPORT_STYLE + " " + QUALITY_REPORT_STYLE + "; "
            + "img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*"
            + "(?:/[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)*");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon", "json", "application/json");

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    public ConsoleFunction() {
        this(ConsoleFunction.class.getClassLoader());
    }

    ConsoleFunction(ClassLoader loader) {
        this.loader = loader;
        PRELOADED.forEach(this::asset);
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        String path = request.path();
        String file = path.equals("/") || path.isEmpty() ? "index.html"
                : path.startsWith("/console/") ? path.substring("/console/".length()) : "";
        Optional<Asset> asset = FILE.matcher(file).matches() ? asset(file) : Optional.empty();
        if (asset.isEmpty()) {
            return JsonResponses.error(CapstanException.notFound("No console file at " + shown(path)));
        }
        Asset found = asset.get();
        boolean unchanged = request.header("if-none-match").map(tags -> tags.contains(found.etag())).orElse(false);
        Map<String, String> headers = Map.of("Content-Type", found.contentType(), "ETag", found.etag(),
                "Cache-Control", "no-cache", "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer");
        return new HttpResponse(unchanged ? 304 : 200, headers, unchanged || request.method().equals("HEAD")
                ? new byte[0] : found.bytes());
    }

    private Optional<Asset> asset(String file) {
        return assets.computeIfAbsent(file, name -> {
            try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    return Optional.empty();
                }
                byte[] bytes = in.readAllBytes();
                String extension = name.substring(name.lastIndexOf('.') + 1);
                return Optional.of(new Asset(bytes, TYPES.getOrDefault(extension, "application/octet-stream"),
                        "\"" + sha256(bytes) + "\""));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the console's " + name, e);
            }
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String shown(String path) {
        String printable = path.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 120 ? printable.substring(0, 120) + "…" : printable;
    }

    /** A console file, its media type and its ETag. */
    private record Asset(byte[] bytes, String contentType, String etag) {
    }
}
