package io.capstan.local.internal;

import io.capstan.error.ErrorCode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The platform's own endpoints (the state machine's task callback), on a listener of their own on 127.0.0.1 at a
 * port chosen by the system, never on the gateway clients use. Only the platform's processes learn its URL and the
 * per-process secret every request must carry in {@value #SECRET_HEADER}; a request without it gets 401.
 */
public final class PlatformEndpoints implements AutoCloseable {
    /** The header carrying the secret. */
    public static final String SECRET_HEADER = "X-Capstan-Platform-Secret";
    /** The largest task input: Step Functions' own payload limit is 256 KB; this leaves room. */
    static final int MAX_BODY_BYTES = 6 * 1024 * 1024;
    private static final ListenerLimits LIMITS = new ListenerLimits(64, Duration.ofSeconds(30));

    private final HttpListener listener;
    private final String secretText;
    private final byte[] secret;
    private final GatewayGuard guard;

    private PlatformEndpoints(HttpListener listener, String secret) {
        this.listener = listener;
        this.secretText = secret;
        this.secret = secret.getBytes(StandardCharsets.US_ASCII);
        this.guard = new GatewayGuard(listener.port(), "", (method, path) -> false);
    }

    /** A fresh secret: 256 random bits, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Binds 127.0.0.1 on a free port; requests wait until {@link #serve(Map)}.
     *
     * @param secret what every request must carry in {@value #SECRET_HEADER}
     */
    public static PlatformEndpoints bind(String secret) {
        if (secret.length() < 32) {
            throw new IllegalArgumentException("the platform secret must be at least 32 characters");
        }
        return new PlatformEndpoints(HttpListener.bind(0, LIMITS, "capstan-platform"), secret);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return listener.url();
    }

    /** The secret requests must carry, to hand to the platform's own processes only. */
    public String secret() {
        return secretText;
    }

    /**
     * Starts serving.
     *
     * @param handlers the endpoints by path prefix; the longest prefix a path starts with serves it
     */
    public void serve(Map<String, Function<HttpRequest, CompletionStage<HttpResponse>>> handlers) {
        Map<String, Function<HttpRequest, CompletionStage<HttpResponse>>> byPrefix = Map.copyOf(handlers);
        HttpResponse tooLarge = Exchanges.error(ErrorCode.PAYLOAD_TOO_LARGE, "A task input is limited to "
                + MAX_BODY_BYTES + " bytes");
        listener.serve(head -> {
            Optional<HttpResponse> refused = guard.refusal(head);
            if (refused.isPresent()) {
                return new Router.Answer(refused.get());
            }
            if (!MessageDigest.isEqual(secret, head.header(SECRET_HEADER).orElse("")
                    .getBytes(StandardCharsets.US_ASCII))) {
                return new Router.Answer(Exchanges.error(ErrorCode.UNAUTHENTICATED, "The platform's own endpoints "
                        + "answer only the platform"));
            }
            return byPrefix.entrySet().stream().filter(e -> head.path().startsWith(e.getKey()))
                    .max(Comparator.comparingInt(e -> e.getKey().length()))
                    .<Router.Routing>map(e -> new Router.Invoke(e.getValue(), MAX_BODY_BYTES, tooLarge))
                    .orElseGet(() -> new Router.Answer(Exchanges.error(ErrorCode.ENDPOINT_NOT_FOUND,
                            "No platform endpoint for " + head.method() + " " + head.path())));
        });
    }

    @Override
    public void close() {
        listener.close();
    }
}
