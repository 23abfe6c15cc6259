package io.capstan.local;

import io.capstan.http.RouteTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The whole embedded platform: {@link LocalEngines} on a data directory, the functions wired on them, and a
 * {@link LocalGateway} in front, on 127.0.0.1. Closing it stops the gateway, then the engines (data flushed).
 */
public final class LocalPlatform implements AutoCloseable {

    private final LocalEngines engines;
    private final LocalGateway gateway;

    private LocalPlatform(LocalEngines engines, LocalGateway gateway) {
        this.engines = engines;
        this.gateway = gateway;
    }

    /**
     * Starts the platform without reporting progress.
     *
     * @see #start(Path, int, Consumer)
     */
    public static LocalPlatform start(Path dataDir, int port) {
        return start(dataDir, port, line -> { });
    }

    /**
     * Starts the engines on {@code dataDir} and the gateway on 127.0.0.1:{@code port}.
     *
     * @param dataDir  where the data lives; created if missing
     * @param port     the gateway's TCP port, 0 for any free one
     * @param progress receives one line per start-up step
     * @throws java.io.UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     * @throws IllegalStateException         when another platform uses {@code dataDir}, or an engine fails
     */
    public static LocalPlatform start(Path dataDir, int port, Consumer<String> progress) {
        LocalEngines engines = LocalEngines.start(dataDir, progress);
        try {
            LocalGateway gateway = new LocalGateway(RouteTable.capstan(), LocalFunctions.create(engines,
                    Clock.systemUTC()));
            int bound = gateway.start(port);
            progress.accept("Gateway listening on 127.0.0.1:" + bound);
            return new LocalPlatform(engines, gateway);
        } catch (RuntimeException e) {
            try {
                engines.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}, the gateway's base URL (an MLflow tracking URI). */
    public URI url() {
        return gateway.url();
    }

    /** The gateway's bound port. */
    public int port() {
        return gateway.port();
    }

    /** The engines, for callers that need the clients (tests, demos). */
    public LocalEngines engines() {
        return engines;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            engines.close();
        }
    }
}
