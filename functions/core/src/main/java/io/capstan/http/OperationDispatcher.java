package io.capstan.http;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.RouteTable.RouteMatch;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The body every Capstan function shares: match the request against the {@link RouteTable}, run the handler
 * mapped to the route's operation, and turn any failure into MLflow's error shape. A path or query parameter
 * holding a NUL character or an unpaired surrogate is refused before any handler runs ({@link FieldLimits}). A
 * {@link CapstanException} keeps its code; anything else goes through the function's translator for dependency failures (e.g. an AWS SDK
 * exception becoming a retryable 503), and what that does not know becomes a 500 without details.
 */
public final class OperationDispatcher implements Function<HttpRequest, HttpResponse> {
    private static final System.Logger LOG = System.getLogger(OperationDispatcher.class.getName());

    private final FunctionId function;
    private final RouteTable routes;
    private final Map<String, OperationHandler> handlers;
    private final Function<RuntimeException, Optional<CapstanException>> dependencyFailures;

    /**
     * @param function           the function whose routes this serves
     * @param routes             the route table
     * @param handlers           operation name to handler; must cover every route of {@code function}
     * @param dependencyFailures translates a failure of a dependency into an error, or empty when it is not one
     * @throws IllegalArgumentException when a route of {@code function} has no handler
     */
    public OperationDispatcher(FunctionId function, RouteTable routes, Map<String, OperationHandler> handlers,
                               Function<RuntimeException, Optional<CapstanException>> dependencyFailures) {
        this.function = function;
        this.routes = routes;
        this.handlers = Map.copyOf(handlers);
        this.dependencyFailures = dependencyFailures;
        for (Route route : routes.routesOf(function)) {
            if (!this.handlers.containsKey(route.operation())) {
                throw new IllegalArgumentException("No handler for " + route.routeKey() + " (" + route.operation() + ")");
            }
        }
    }

    /** The operations this dispatcher implements. */
    public Set<String> operations() {
        return handlers.keySet();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        Optional<RouteMatch> match = routes.match(request.method(), request.path())
                .filter(m -> m.route().function() == function);
        if (match.isEmpty()) {
            return JsonResponses.error(new CapstanException(ErrorCode.ENDPOINT_NOT_FOUND,
                    "No API endpoint " + request.method() + " " + request.path() + "."));
        }
        OperationHandler handler = handlers.get(match.get().route().operation());
        try {
            checkCharacters(request, match.get().pathParameters());
            return handler.handle(request, match.get().pathParameters());
        } catch (CapstanException e) {
            if (e.retryable()) {
                LOG.log(System.Logger.Level.WARNING, "{0} {1} failed: {2}", request.method(), request.path(),
                        e.getMessage());
            }
            return JsonResponses.error(e);
        } catch (RuntimeException e) {
            Optional<CapstanException> translated = dependencyFailures.apply(e);
            LOG.log(System.Logger.Level.ERROR, (translated.isPresent() ? "a dependency failed for " : "unexpected"
                    + " failure for ") + request.method() + " " + request.path(), e);
            return JsonResponses.error(translated.orElseGet(() -> new CapstanException(ErrorCode.INTERNAL_ERROR,
                    "Internal error while handling " + request.method() + " " + request.path() + ".")));
        }
    }

    /** No handler sees a NUL character or an unpaired surrogate in a path or query parameter. */
    private static void checkCharacters(HttpRequest request, Map<String, String> pathParameters) {
        pathParameters.forEach(FieldLimits::checkCharacters);
        request.query().forEach((name, values) -> values.forEach(v -> FieldLimits.checkCharacters(name, v)));
    }
}
