package io.capstan.local;

import io.capstan.error.ErrorCode;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.local.internal.Exchanges;
import io.capstan.local.internal.GatewayGuard;
import io.capstan.local.internal.HttpListener;
import io.capstan.local.internal.RequestHead;
import io.capstan.local.internal.Router;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for API Gateway: an HTTP listener on 127.0.0.1 that dispatches each request by the
 * {@link RouteTable} to the function registered for the route's {@link FunctionId}, as API Gateway invokes a
 * Lambda function. Before a function sees a request, its head must pass the {@link GatewayGuard} (a Host the
 * platform answers to, no foreign Origin on a request that changes state, the token when one is set). Gateway-level
 * errors use MLflow's shape {@code {"error_code", "message"}}: a malformed request line, path or query gives 400
 * {@code INVALID_PARAMETER_VALUE}; no route gives 404 {@code ENDPOINT_NOT_FOUND}, and a path routed for other methods
 * 405 with an {@code Allow} header; a body over {@link #MAX_BODY_BYTES} gives 413 {@code PAYLOAD_TOO_LARGE} (Lambda's
 * synchronous payload limit, so large uploads fail here as they would in AWS); an exception escaping a function gives
 * 500 {@code INTERNAL_ERROR}, logged, with no stack trace in the body. The platform's own endpoints are not served
 * here (see {@link io.capstan.local.internal.PlatformEndpoints}).
 */
public final class LocalGateway implements AutoCloseable {

    /** Largest request body passed to a function: Lambda's 6 MB synchronous invocation payload limit. */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final HttpResponse TOO_LARGE = Exchanges.error(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is "
            + "over " + MAX_BODY_BYTES + " bytes, the payload limit of a function (as in AWS Lambda); send large "
            + "artifacts through multipart upload (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true)");

    private final RouteTable routes;
    private final Map<FunctionId, Function<HttpRequest, HttpResponse>> functions;
    private final GatewaySettings settings;
    private HttpListener listener;
    private GatewayGuard guard;

    /**
     * A gateway with {@link GatewaySettings#defaults()}.
     *
     * @param routes    the route table to dispatch by
     * @param functions the function serving each {@link FunctionId}; a route whose function is missing answers 404
     */
    public LocalGateway(RouteTable routes, Map<FunctionId, Function<HttpRequest, HttpResponse>> functions) {
        this(routes, functions, GatewaySettings.defaults());
    }

    /**
     * @param routes    the route table to dispatch by
     * @param functions the function serving each {@link FunctionId}; a route whose function is missing answers 404
     * @param settings  the token, connection limits and deadlines
     */
    public LocalGateway(RouteTable routes, Map<FunctionId, Function<HttpRequest, HttpResponse>> functions,
                        GatewaySettings settings) {
        this.routes = routes;
        this.functions = functions.isEmpty() ? new EnumMap<>(FunctionId.class) : new EnumMap<>(functions);
        this.settings = settings;
    }

    /**
     * Binds 127.0.0.1:{@code port} and starts serving.
     *
     * @param port the TCP port, 0 for any free one
     * @return the bound port
     * @throws java.io.UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     * @throws IllegalStateException         when already started
     */
    public synchronized int start(int port) {
        if (listener != null) {
            throw new IllegalStateException("The gateway is already listening on port " + port());
        }
        HttpListener bound = HttpListener.bind(port, settings.limits(), "capstan-gateway");
        guard = new GatewayGuard(bound.port(), settings.bearerToken(), routes::open);
        bound.serve(this::route);
        listener = bound;
        return port();
    }

    /** The bound port. */
    public synchronized int port() {
        if (listener == null) {
            throw new IllegalStateException("The gateway is not started");
        }
        return listener.port();
    }

    /** Connections open now. */
    synchronized int openConnections() {
        return listener == null ? 0 : listener.openConnections();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Stops accepting requests, lets those in flight finish for up to a second, and stops the threads. */
    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        listener.close();
        listener = null;
    }

    private Router.Routing route(RequestHead head) {
        Optional<HttpResponse> refused = guard.refusal(head);
        if (refused.isPresent()) {
            return new Router.Answer(refused.get());
        }
        String method = head.method();
        String path = head.path();
        Optional<RouteTable.RouteMatch> match = routes.match(method, path);
        if (match.isEmpty()) {
            List<String> allowed = METHODS.stream().filter(m -> routes.match(m, path).isPresent()).toList();
            if (!allowed.isEmpty()) {
                return new Router.Answer(Exchanges.error(405, ErrorCode.ENDPOINT_NOT_FOUND, method + " is not "
                        + "served on " + path + "; it answers " + String.join(", ", allowed),
                        Map.of("Allow", String.join(", ", allowed))));
            }
            return new Router.Answer(Exchanges.error(ErrorCode.ENDPOINT_NOT_FOUND, "No API endpoint for " + method
                    + " " + path));
        }
        FunctionId id = match.get().route().function();
        Function<HttpRequest, HttpResponse> function = functions.get(id);
        if (function == null) {
            return new Router.Answer(Exchanges.error(ErrorCode.ENDPOINT_NOT_FOUND, "The " + id.id() + " function "
                    + "does not run locally, so " + method + " " + path + " has no endpoint"));
        }
        return new Router.Invoke(request -> CompletableFuture.completedFuture(invoke(function, request, id.id())),
                MAX_BODY_BYTES, TOO_LARGE);
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
}
