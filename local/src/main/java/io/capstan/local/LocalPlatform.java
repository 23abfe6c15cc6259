package io.capstan.local;

import io.capstan.http.RouteTable;
import io.capstan.local.drift.LocalDriftWiring;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.local.pipeline.LocalPipelineWiring;
import io.capstan.local.pipeline.LocalTasks;
import java.util.Optional;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The whole embedded platform: {@link LocalEngines} on a data directory, the functions wired on them, and a
 * {@link LocalGateway} in front, on 127.0.0.1. Closing it stops the gateway, then the engines (data flushed).
 */
public final class LocalPlatform implements AutoCloseable {
    /** {@code capstan.capture.flushSeconds}: seconds between flushes of the predict function's traffic sketches. */
    public static final String CAPTURE_FLUSH_PROPERTY = "capstan.capture.flushSeconds";

    private final LocalEngines engines;
    private final LocalGateway gateway;
    private final LocalFunctions functions;

    private LocalPlatform(LocalEngines engines, LocalGateway gateway, LocalFunctions functions) {
        this.engines = engines;
        this.gateway = gateway;
        this.functions = functions;
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
     * @param progress receives one line per start-up step, then the platform's activity (pipeline states,
     *                 training progress, notifications)
     * @throws java.io.UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     * @throws IllegalStateException         when another platform uses {@code dataDir}, or an engine fails
     */
    public static LocalPlatform start(Path dataDir, int port, Consumer<String> progress) {
        LocalEngines engines = LocalEngines.start(dataDir, progress);
        LocalFunctions functions = null;
        try {
            LocalGateway[] gateway = new LocalGateway[1];
            functions = LocalFunctions.create(engines, () -> gateway[0].url(), progress, Clock.systemUTC());
            gateway[0] = new LocalGateway(RouteTable.capstan(), functions.functions(), functions.internal());
            int bound = gateway[0].start(port);
            progress.accept("Gateway listening on 127.0.0.1:" + bound);
            return new LocalPlatform(engines, gateway[0], functions);
        } catch (RuntimeException e) {
            if (functions != null) {
                closeAll(functions.closeables(), e);
            }
            try {
                engines.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The retraining pipeline's engine, when the pipeline can run here (its runner and trainer are built). */
    public Optional<LocalPipelineEngine> pipeline() {
        return functions.pipelineEngine();
    }

    /** The pipeline's task endpoint, to inject failures of the AWS services it stands in for (tests). */
    public Optional<LocalTasks> pipelineTasks() {
        return functions.pipeline().map(LocalPipelineWiring::tasks);
    }

    /** The drift checks: run the schedule now, find a report's file (tests, demos). */
    public LocalDriftWiring drift() {
        return functions.drift();
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
        RuntimeException failure = new IllegalStateException("Stopping the platform failed");
        try {
            gateway.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        closeAll(functions.closeables(), failure);
        try {
            engines.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeAll(java.util.List<AutoCloseable> closeables, RuntimeException collector) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                collector.addSuppressed(e);
            }
        }
    }
}
