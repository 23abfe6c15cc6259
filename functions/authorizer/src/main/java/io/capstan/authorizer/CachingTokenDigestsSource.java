package io.capstan.authorizer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps the digests loaded from another source for a bounded time, so one container reads the secret once per
 * {@code ttl} rather than once per request. A failed load is not cached: the next call tries again.
 */
public final class CachingTokenDigestsSource implements TokenDigestsSource {

    private final TokenDigestsSource loader;
    private final Clock clock;
    private final Duration ttl;
    private TokenDigests cached;
    private Instant loadedAt;

    /**
     * @param loader the source to read through to
     * @param clock  the time used to age the cached digests
     * @param ttl    how long loaded digests are used before they are read again; positive
     */
    public CachingTokenDigestsSource(TokenDigestsSource loader, Clock clock, Duration ttl) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
    }

    @Override
    public synchronized TokenDigests current() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(loadedAt.plus(ttl))) {
            cached = loader.current();
            loadedAt = now;
        }
        return cached;
    }
}
