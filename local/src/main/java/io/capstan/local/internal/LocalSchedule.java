package io.capstan.local.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A platform's schedule, as an EventBridge rule runs the same check in AWS: a daemon thread that runs it every
 * {@code -D<property>} seconds.
 */
public final class LocalSchedule {
    private LocalSchedule() {
    }

    /** A daemon thread named {@code name} for one schedule. */
    public static ScheduledExecutorService executor(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs {@code check} on {@code executor} every {@code -D<property>} seconds ({@code defaultSeconds} unset) and says
     * so in the log: {@code <what> every 1h (-D<property>)}.
     *
     * @throws IllegalArgumentException naming the property when it is below 1 second
     */
    public static void every(ScheduledExecutorService executor, String property, long defaultSeconds, Runnable check,
                             Consumer<String> log, String what) {
        long seconds = Long.getLong(property, defaultSeconds);
        if (seconds < 1) {
            throw new IllegalArgumentException(property + " must be at least 1 second, got " + seconds);
        }
        executor.scheduleWithFixedDelay(check, seconds, seconds, TimeUnit.SECONDS);
        log.accept(what + " every " + Duration.ofSeconds(seconds).toString().substring(2).toLowerCase(Locale.ROOT)
                + " (-D" + property + ")");
    }
}
