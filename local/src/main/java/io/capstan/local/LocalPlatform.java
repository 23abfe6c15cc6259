package io.capstan.local;

import io.capstan.http.RouteTable;
import io.capstan.local.batch.LocalBatchWiring;
import io.capstan.local.drift.LocalDriftWiring;
import io.capstan.local.internal.PlatformEndpoints;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.local.pipeline.LocalPipelineWiring;
import io.capstan.local.pipeline.LocalTasks;
import io.capstan.local.pipeline.TaskEndpoint;
import io.capstan.local.quality.LocalQualityWiring;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole embedded platform: {@link LocalEngines} on a data directory, the functions wired on them, a
 * {@link LocalGateway} in front, on 127.0.0.1, and the platform's own endpoints (the state machine's task callback) on
 * a second listener on 127.0.0.1 whose port and secret only the platform's processes learn. Closing it stops the
 * listeners, then the functions, then the engines (data flushed).
 */
public final class LocalPlatform implements AutoCloseable {
    /** {@code capstan.capture.flushSeconds}: seconds between flushes of the predict function's traffic sketches. */
    public static final String CAPTURE_FLUSH_PROPERTY = "capstan.capture.flushSeconds";
    /**
     * {@code capstan.registration.backgroundBytes}: model versions whose source holds more bytes register on a
     * background thread, answered {@code PENDING_REGISTRATION} at once (default 64 MiB, as in AWS).
     */
    public static final String REGISTRATION_BACKGROUND_PROPERTY = "capstan.registration.backgroundBytes";
    /**
     * {@code capstan.lambdaPath}: serve tracking as AWS does, for measuring it here: no run cache, every request on
     * newly built stores (a cold Lambda container), and what each request read and wrote in DynamoDB in an
     * {@value #USAGE_HEADER} response header and a log line.
     */
    public static final String LAMBDA_PATH_PROPERTY = "capstan.lambdaPath";
    /** The response header that carries a request's DynamoDB usage in Lambda-path mode. */
    public static final String USAGE_HEADER = "X-Capstan-DynamoDB";

    private final LocalEngines engines;
    private final LocalGateway gateway;
    private final PlatformEndpoints endpoints;
    private final TaskEndpoint taskEndpoint;
    private final LocalFunctions functions;

    private LocalPlatform(LocalEngines engines, LocalGateway gateway, PlatformEndpoints endpoints,
                          TaskEndpoint taskEndpoint, LocalFunctions functions) {
        this.engines = engines;
        this.gateway = gateway;
        this.endpoints = endpoints;
        this.taskEndpoint = taskEndpoint;
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
     * Starts the engines on {@code dataDir} and the gateway on 127.0.0.1:{@code port}, with
     * {@link GatewaySettings#defaults()}.
     *
     * @see #start(Path, int, Consumer, GatewaySettings)
     */
    public static LocalPlatform start(Path dataDir, int port, Consumer<String> progress) {
        return start(dataDir, port, progress, GatewaySettings.defaults());
    }

    /**
     * Starts the engines on {@code dataDir} and the gateway on 127.0.0.1:{@code port}.
     *
     * @param dataDir  where the data lives; created if missing
     * @param port     the gateway's TCP port, 0 for any free one
     * @param progress receives one line per start-up step, then the platform's activity (pipeline states,
     *                 training progress, notifications)
     * @param gateway  the gateway's token and limits
     * @throws java.io.UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     * @throws IllegalStateException         when another platform uses {@code dataDir}, or an engine fails
     */
    public static LocalPlatform start(Path dataDir, int port, Consumer<String> progress, GatewaySettings gateway) {
        LocalEngines engines = LocalEngines.start(dataDir, progress);
        List<AutoCloseable> started = new ArrayList<>();
        LocalFunctions functions = null;
        try {
            PlatformEndpoints endpoints = PlatformEndpoints.bind(PlatformEndpoints.newSecret());
            started.add(endpoints);
            TaskEndpoint tasks = new TaskEndpoint(endpoints.url() + LocalTasks.PATH.substring(0,
                    LocalTasks.PATH.length() - 1), endpoints.secret());
            functions = LocalFunctions.create(engines, tasks, progress, Clock.systemUTC());
            endpoints.serve(functions.internal());
            LocalGateway listening = new LocalGateway(RouteTable.capstan(), functions.functions(), gateway);
            int bound = listening.start(port);
            started.add(0, listening);
            progress.accept("Gateway listening on 127.0.0.1:" + bound + (gateway.tokenRequired()
                    ? " (every request but /health must carry the token)" : ""));
            return new LocalPlatform(engines, listening, endpoints, tasks, functions);
        } catch (RuntimeException e) {
            closeAll(started, e);
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

    /** Batch predictions: their engine and task endpoint (tests, demos); empty when they cannot run here. */
    public Optional<LocalBatchWiring> batch() {
        return functions.batch();
    }

    /** The quality checks: run the schedule now, read an alarm's state (tests, demos). */
    public LocalQualityWiring quality() {
        return functions.quality();
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

    /** The platform's own endpoints (the state machine's task callback) and their secret: tests only. */
    TaskEndpoint taskEndpoint() {
        return taskEndpoint;
    }

    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException("Stopping the platform failed");
        closeAll(List.of(gateway, endpoints), failure);
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

    private static void closeAll(List<AutoCloseable> closeables, RuntimeException collector) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                collector.addSuppressed(e);
            }
        }
    }
}
