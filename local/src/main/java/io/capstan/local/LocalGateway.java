package io.capstan.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.capstan.error.ErrorCode;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.local.internal.Exchanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for API Gateway: an HTTP server on 127.0.0.1 that dispatches each request by the
 * {@link RouteTable} to the function registered for the route's {@link FunctionId}, as API Gateway invokes a
 * Lambda function. Gateway-level errors use MLflow's shape {@code {"error_code", "message"}}: no route gives 404
 * {@code ENDPOINT_NOT_FOUND}; a body over {@link #MAX_BODY_BYTES} gives 413 {@code PAYLOAD_TOO_LARGE} (Lambda's
 * synchronous payload limit, so large uploads fail here as they would in AWS); an exception escaping a function
 * gives 500 {@code INTERNAL_ERROR}, logged, with no stack trace in the body.
 */
public final class LocalGateway implements AutoCloseable {

    /** Largest request body passed to a function: Lambda's 6 MB synchronous invocation payload limit. */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final int THREADS = 16;
    private static final int BACKLOG = 256;

    /** Paths under this prefix reach the platform's own endpoints (state machine tasks), never a routed function. */
    public static final String INTERNAL_PREFIX = "/_local/";

    private final RouteTable routes;
    private final Map<FunctionId, Function<HttpRequest, HttpResponse>> functions;
    private final Map<String, Function<HttpRequest, HttpResponse>> internal;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param routes    the route table to dispatch by
     * @param functions the function serving each {@link FunctionId}; a route whose function is missing answers 404
     */
    public LocalGateway(RouteTable routes, Map<FunctionId, Function<HttpRequest, HttpResponse>> functions) {
        this(routes, functions, Map.of());
    }

    /**
     * @param routes    the route table to dispatch by
     * @param functions the function serving each {@link FunctionId}; a route whose function is missing answers 404
     * @param internal  handlers of the platform's own endpoints by path prefix, each starting with
     *                  {@value #INTERNAL_PREFIX}; API Gateway has no such routes
     */
    public LocalGateway(RouteTable routes, Map<FunctionId, Function<HttpRequest, HttpResponse>> functions,
                        Map<String, Function<HttpRequest, HttpResponse>> internal) {
        this.routes = routes;
        this.functions = functions.isEmpty() ? new EnumMap<>(FunctionId.class) : new EnumMap<>(functions);
        internal.keySet().forEach(prefix -> {
            if (!prefix.startsWith(INTERNAL_PREFIX)) {
                throw new IllegalArgumentException("internal endpoints live under " + INTERNAL_PREFIX + ": " + prefix);
            }
        });
        this.internal = Map.copyOf(internal);
    }

    /**
     * Binds 127.0.0.1:{@code port} and starts serving.
     *
     * @param port the TCP port, 0 for any free one
     * @return the bound port
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     * @throws IllegalStateException when already started
     */
    public synchronized int start(int port) {
        if (server != null) {
            throw new IllegalStateException("The gateway is already listening on port " + port());
        }
        // read once per JVM by the JDK server: without it, Nagle's algorithm can hold a response's body back
        // until the client acknowledges its headers (a delayed ACK, up to 40 ms, on kept-alive connections)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer created;
        try {
            created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new GatewayThreads());
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        return port();
    }

    /** The bound port. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The gateway is not started");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Stops accepting requests, lets those in flight finish for up to a second, and stops the threads. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Optional<RouteTable.RouteMatch> match = routes.match(method, path);
            Function<HttpRequest, HttpResponse> function = path.startsWith(INTERNAL_PREFIX) ? internal(path)
                    : match.map(m -> functions.get(m.route().function())).orElse(null);
            if (function == null) {
                Exchanges.sendError(exchange, ErrorCode.ENDPOINT_NOT_FOUND, match.isEmpty()
                        ? "No API endpoint for " + method + " " + path
                        : "The " + match.get().route().function().id() + " function does not run locally, so "
                                + method + " " + path + " has no endpoint", false);
                return;
            }
            Optional<byte[]> body = Exchanges.readBody(exchange, MAX_BODY_BYTES);
            if (body.isEmpty()) {
                boolean drained = Exchanges.drain(exchange);
                Exchanges.sendError(exchange, ErrorCode.PAYLOAD_TOO_LARGE, "The request body is over "
                        + MAX_BODY_BYTES + " bytes, the payload limit of a function (as in AWS Lambda); send large "
                        + "artifacts through multipart upload (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true)",
                        !drained);
                return;
            }
            HttpRequest request;
            try {
                request = Exchanges.toRequest(exchange, method, path, body.get());
            } catch (IllegalArgumentException malformed) {
                Exchanges.sendError(exchange, ErrorCode.BAD_REQUEST, "Malformed query string: "
                        + malformed.getMessage(), false);
                return;
            }
            Exchanges.send(exchange, invoke(function, request, path.startsWith(INTERNAL_PREFIX) ? "platform"
                    : match.get().route().function().id()));
        } catch (IOException clientGone) {
            LOG.debug("Could not answer a request: {}", clientGone.toString());
        }
    }

    private Function<HttpRequest, HttpResponse> internal(String path) {
        return internal.entrySet().stream().filter(e -> path.startsWith(e.getKey()))
                .max(java.util.Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue)
                .orElse(null);
    }

    private static HttpResponse invoke(Function<HttpRequest, HttpResponse> function, HttpRequest request,
                                       String functionName) {
        try {
            HttpResponse response = function.apply(request);
            if (response == null) {
                throw new IllegalStateException("The function returned no response");
            }
            return response;
        } catch (RuntimeException | Error e) {
            LOG.error("{} {} failed in the {} function", request.method(), request.path(), functionName, e);
            return HttpResponse.json(ErrorCode.INTERNAL_ERROR.httpStatus(), "{\"error_code\": \"INTERNAL_ERROR\", "
                    + "\"message\": \"Internal error in the " + functionName + " function; "
                    + "the server log has the details\"}");
        }
    }

    private static final class GatewayThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "capstan-gateway-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
