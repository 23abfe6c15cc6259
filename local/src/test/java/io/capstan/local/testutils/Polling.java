package io.capstan.local.testutils;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waits for what the platform does in the background (pipeline executions, flushes, schedules). */
public final class Polling {
    /** How long background work may take in these tests before it counts as never. */
    public static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final long INTERVAL_MILLIS = 200;

    private Polling() {
    }

    /**
     * Asks {@code probe} every 200 ms until it answers a value, at most {@code timeout}; then fails with
     * {@code failure}'s message (asked only then, so it can show the latest log).
     */
    public static <T> T await(Duration timeout, Callable<Optional<T>> probe, Supplier<String> failure)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.call();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
    }

    /** {@link #await(Duration, Callable, Supplier)} with {@link #PATIENCE}. */
    public static <T> T await(Callable<Optional<T>> probe, Supplier<String> failure) throws Exception {
        return await(PATIENCE, probe, failure);
    }
}
