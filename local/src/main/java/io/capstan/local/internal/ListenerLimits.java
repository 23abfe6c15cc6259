package io.capstan.local.internal;

import java.time.Duration;

/**
 * How much an HTTP listener of the local platform gives one client: connections held at once, and how long reading
 * a request's head, moving a body (either way) and waiting for the next request on a kept-alive connection may take.
 * Each connection holds at most one thread, so {@code maxConnections} also bounds the listener's threads; a client
 * that stalls is cut off when its deadline passes instead of holding a thread.
 *
 * @param maxConnections connections open at once; one more is answered 503 and closed
 * @param headerTimeout  from a request's first byte to the end of its headers (a whole-head deadline, so a client
 *                       sending a byte at a time cannot stretch it)
 * @param bodyTimeout    to read a request body, and to write a response
 * @param idleTimeout    a connection waiting for its next request is closed after this
 */
public record ListenerLimits(int maxConnections, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout) {

    public ListenerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        positive("headerTimeout", headerTimeout);
        positive("bodyTimeout", bodyTimeout);
        positive("idleTimeout", idleTimeout);
    }

    /** 256 connections, 10 s for a head, 60 s for a body, 30 s idle (the JDK HTTP server's idle interval). */
    public static ListenerLimits defaults() {
        return new ListenerLimits(256, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
