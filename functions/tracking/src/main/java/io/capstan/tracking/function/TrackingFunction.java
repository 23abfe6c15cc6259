package io.capstan.tracking.function;

import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationDispatcher;
import io.capstan.http.OperationHandler;
import io.capstan.http.RouteTable;
import io.capstan.store.dynamodb.SdkFailures;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.TrackingService;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The tracking function: MLflow's tracking REST API (with MLflow 3's logged models) and proxied artifacts, as a plain
 * {@code Function<HttpRequest, HttpResponse>} hosted by the Lambda entry point and by the local gateway.
 * Requests are matched against the shared {@link RouteTable}; the route's operation picks the handler; every
 * handler runs behind the same error translator, so any failure reaches the client in MLflow's error shape.
 */
public final class TrackingFunction implements Function<HttpRequest, HttpResponse> {
    /** The MLflow server version whose REST behaviour this function reproduces. */
    public static final String MLFLOW_COMPATIBLE_VERSION = "2.12.2";

    private final OperationDispatcher dispatcher;

    public TrackingFunction(TrackingService tracking, ArtifactStore artifacts, RouteTable routes) {
        Map<String, OperationHandler> all = new HashMap<>(new TrackingHandlers(tracking).handlers());
        all.putAll(new LoggedModelHandlers(tracking).handlers());
        all.putAll(new ArtifactHandlers(artifacts, tracking).handlers());
        // as MLflow's server (Flask) answers them
        all.put("Health", (req, path) -> HttpResponse.bytes(200, "text/html; charset=utf-8",
                "OK".getBytes(StandardCharsets.UTF_8)));
        all.put("Version", (req, path) -> HttpResponse.bytes(200, "text/html; charset=utf-8",
                MLFLOW_COMPATIBLE_VERSION.getBytes(StandardCharsets.UTF_8)));
        this.dispatcher = new OperationDispatcher(FunctionId.TRACKING, routes, all, SdkFailures::translate);
    }

    /** The operations this function implements, for the test that walks the route table. */
    public Set<String> operations() {
        return dispatcher.operations();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        return dispatcher.apply(request);
    }
}
