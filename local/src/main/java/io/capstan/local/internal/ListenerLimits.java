package io.capstan.local.internal;

import java.time.Duration;

/**
 * How much an HTTP listener of the local platform gives its clients: connections served at once, and how long any
 * read or write may stall (the head, the body, the response, or the wait for the next request on a kept-alive
 * connection). A client that stalls longer is cut off; it never holds a thread while it stalls.
 *
 * @param maxConnections connections served at once; a request on one more is answered 503
 * @param idleTimeout    the longest a read or write may make no progress
 */
public record ListenerLimits(int maxConnections, Duration idleTimeout) {

    public ListenerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be a positive duration, got " + idleTimeout);
        }
    }

    /** 256 connections, 30 s without progress. */
    public static ListenerLimits defaults() {
        return new ListenerLimits(256, Duration.ofSeconds(30));
    }
}
