package io.capstan.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM handled as a request to stop: the main thread closes the platform and the JVM exits 0,
 * instead of the default 130/143 from the JVM's own handlers.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /** Installs the handlers; false where the JVM does not allow it (then shutdown hooks do the work). */
    static boolean install(Runnable onStop) {
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                Signal.handle(new Signal(name), signal -> onStop.run());
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.debug("Signal handlers unavailable ({}); stopping through shutdown hooks", e.toString());
            return false;
        }
    }
}
