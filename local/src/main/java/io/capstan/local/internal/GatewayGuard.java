package io.capstan.local.internal;

import io.capstan.error.ErrorCode;
import io.capstan.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * What a request must show before a listener on 127.0.0.1 serves it, checked on its head alone:
 * <ul>
 * <li>a {@code Host} the platform answers to ({@code 127.0.0.1:<port>}, {@code localhost:<port>},
 * {@code [::1]:<port>}), so a page whose DNS name was rebound to 127.0.0.1 reaches nothing (403);</li>
 * <li>for a request that changes state (POST, PUT, PATCH, DELETE), no {@code Origin} or the platform's own, so a page
 * of another site cannot make a browser send one (403); clients other than browsers send none;</li>
 * <li>when a token is set, {@code Authorization: Bearer <token>} on every request but {@code GET /health} and the
 * open routes (the console's files, which hold no data) (401), as MLflow's clients send
 * {@code MLFLOW_TRACKING_TOKEN}.</li>
 * </ul>
 */
public final class GatewayGuard {
    /** The one path served without the token: liveness probes carry none. */
    public static final String HEALTH_PATH = "/health";
    private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final List<String> NAMES = List.of("127.0.0.1", "localhost", "[::1]");

    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<String> origins = new LinkedHashSet<>();
    private final byte[] token;
    private final BiPredicate<String, String> open;

    /**
     * @param port  the port the listener is bound to
     * @param token the bearer token every request but {@value #HEALTH_PATH} and the open routes must carry; empty for
     *              none
     * @param open  whether a method and path lead to a route served without the token
     */
    public GatewayGuard(int port, String token, BiPredicate<String, String> open) {
        this.open = open;
        for (String name : NAMES) {
            hosts.add(name + ":" + port);
            origins.add("http://" + name + ":" + port);
            if (port == 80) {
                hosts.add(name);
                origins.add("http://" + name);
            }
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The answer refusing {@code head}, or empty when it may be served. */
    public Optional<HttpResponse> refusal(RequestHead head) {
        Optional<String> host = head.header("host");
        if (host.isEmpty()) {
            if (!head.http10()) {
                return Optional.of(Exchanges.error(ErrorCode.INVALID_PARAMETER_VALUE,
                        "An HTTP/1.1 request must carry a Host header"));
            }
        } else if (!hosts.contains(host.get().toLowerCase(Locale.ROOT))) {
            return Optional.of(Exchanges.error(ErrorCode.PERMISSION_DENIED, "Host " + Exchanges.printable(host.get())
                    + " is not a name this platform answers to; use one of " + String.join(", ", hosts)));
        }
        Optional<String> origin = head.header("origin");
        if (origin.isPresent() && UNSAFE_METHODS.contains(head.method())
                && !origins.contains(origin.get().toLowerCase(Locale.ROOT))) {
            return Optional.of(Exchanges.error(ErrorCode.PERMISSION_DENIED, "Cross-origin " + head.method()
                    + " from " + Exchanges.printable(origin.get()) + " refused: only pages of this platform ("
                    + String.join(", ", origins) + ") may change its state from a browser"));
        }
        if (token.length > 0 && !(head.path().equals(HEALTH_PATH) && head.method().equals("GET"))
                && !open.test(head.method(), head.path()) && !bearerMatches(head.header("authorization"))) {
            return Optional.of(Exchanges.error(ErrorCode.UNAUTHENTICATED.httpStatus(), ErrorCode.UNAUTHENTICATED,
                    "This platform requires a token: send Authorization: Bearer <token> (MLflow's clients do with "
                            + "MLFLOW_TRACKING_TOKEN set to the token the platform was started with)",
                    Map.of("WWW-Authenticate", "Bearer realm=\"capstan\"")));
        }
        return Optional.empty();
    }

    private boolean bearerMatches(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return false;
        }
        String value = authorization.get().strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return false;
        }
        return MessageDigest.isEqual(token, value.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8));
    }
}
