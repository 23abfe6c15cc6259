package io.capstan.local;

import io.capstan.local.internal.ListenerLimits;

/**
 * How the local gateway admits clients.
 *
 * @param bearerToken the token every request but {@code GET /health} must carry as {@code Authorization: Bearer
 *                    <token>}; empty (or null) for none. Visible ASCII only, as it travels in a header.
 * @param limits      connections, and read and write deadlines ({@link ListenerLimits#defaults()})
 */
public record GatewaySettings(String bearerToken, ListenerLimits limits) {

    public GatewaySettings {
        bearerToken = bearerToken == null ? "" : bearerToken;
        if (!bearerToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("The local platform's token must be visible ASCII characters without "
                    + "spaces (it travels in an Authorization header)");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
    }

    /** No token, {@link ListenerLimits#defaults()}. */
    public static GatewaySettings defaults() {
        return new GatewaySettings("", ListenerLimits.defaults());
    }

    /** These settings requiring {@code token} (empty: none). */
    public GatewaySettings withBearerToken(String token) {
        return new GatewaySettings(token, limits);
    }

    /** These settings with other limits. */
    public GatewaySettings withLimits(ListenerLimits other) {
        return new GatewaySettings(bearerToken, other);
    }

    /** Whether a token is required. */
    public boolean tokenRequired() {
        return !bearerToken.isEmpty();
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "GatewaySettings[token " + (tokenRequired() ? "required" : "none") + ", " + limits + "]";
    }
}
