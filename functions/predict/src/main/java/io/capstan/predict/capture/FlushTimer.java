package io.capstan.predict.capture;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that calls a capture's {@code flushIfDue} every second (or every interval when shorter), so that a
 * long-lived multi-threaded host (the local platform) flushes on time without further requests. In Lambda there is
 * none: the request that finds a flush due pays for it.
 */
final class FlushTimer {
    private ScheduledExecutorService timer;

    /** Starts the timer unless it runs already. */
    synchronized void start(Runnable flushIfDue, Duration interval, String threadName) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, threadName);
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(1, Math.min(1000, interval.toMillis()));
            timer.scheduleWithFixedDelay(flushIfDue, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the timer, if it runs. */
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
