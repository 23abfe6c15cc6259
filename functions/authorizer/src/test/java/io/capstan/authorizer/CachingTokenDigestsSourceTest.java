package io.capstan.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingTokenDigestsSourceTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void current_withinTtl_loadsOnce() {
        CachingTokenDigestsSource source = new CachingTokenDigestsSource(counting(), clock, TTL);

        source.current();
        clock.advance(TTL.minusSeconds(1));
        TokenDigests second = source.current();

        assertThat(loads).hasValue(1);
        assertThat(second.hexByName()).containsKey("load-1");
    }

    @Test
    void current_afterTtl_loadsAgain() {
        CachingTokenDigestsSource source = new CachingTokenDigestsSource(counting(), clock, TTL);

        source.current();
        clock.advance(TTL);
        TokenDigests second = source.current();

        assertThat(loads).hasValue(2);
        assertThat(second.hexByName()).containsKey("load-2");
    }

    @Test
    void current_loadFails_isNotCachedAndNextCallRetries() {
        AtomicInteger calls = new AtomicInteger();
        CachingTokenDigestsSource source = new CachingTokenDigestsSource(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("secret store unreachable");
            }
            return TokenDigests.none();
        }, clock, TTL);

        assertThatThrownBy(source::current).isInstanceOf(IllegalStateException.class);
        TokenDigests afterFailure = source.current();

        assertThat(afterFailure.hexByName()).isEmpty();
        assertThat(calls).hasValue(2);
    }

    @Test
    void constructor_zeroTtl_throws() {
        assertThatThrownBy(() -> new CachingTokenDigestsSource(TokenDigests::none, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private TokenDigestsSource counting() {
        return () -> new TokenDigests(Map.of("load-" + loads.incrementAndGet(), "c".repeat(64)));
    }
}
