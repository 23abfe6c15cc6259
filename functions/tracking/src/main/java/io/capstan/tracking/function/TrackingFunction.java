package io.capstan.tracking.function;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.http.RouteTable.RouteMatch;
import io.capstan.store.dynamodb.DynamoDbExperimentStore;
import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The tracking function: MLflow's tracking REST API and proxied artifacts, as a plain
 * {@code Function<HttpRequest, HttpResponse>} hosted by the Lambda entry point and by the local gateway.
 * Requests are matched against the shared {@link RouteTable}; the route's operation picks the handler; every
 * handler runs behind the same error translator, so any failure reaches the client in MLflow's error shape.
 */
public final class TrackingFunction implements Function<HttpRequest, HttpResponse> {
    /** The MLflow server version whose REST behaviour this function reproduces. */
    public static final String MLFLOW_COMPATIBLE_VERSION = "2.12.2";
    private static final System.Logger LOG = System.getLogger(TrackingFunction.class.getName());

    private final RouteTable routes;
    private final Map<String, Handler> handlers;

    public TrackingFunction(TrackingService tracking, ArtifactStore artifacts, RouteTable routes) {
        this.routes = routes;
        Map<String, Handler> all = new HashMap<>(new TrackingHandlers(tracking).handlers());
        all.putAll(new ArtifactHandlers(artifacts, tracking).handlers());
        all.put("Health", (req, path) -> HttpResponse.text(200, "OK"));
        all.put("Version", (req, path) -> HttpResponse.text(200, MLFLOW_COMPATIBLE_VERSION));
        this.handlers = Map.copyOf(all);
    }

    /** Wires the function on DynamoDB and S3 and makes sure the Default experiment exists. */
    public static TrackingFunction create(DynamoDbClient dynamoDb, String tableName, S3Client s3,
                                          S3Presigner presigner, String artifactBucket, Clock clock) {
        TrackingService tracking = new TrackingService(new DynamoDbExperimentStore(dynamoDb, tableName),
                new DynamoDbRunStore(dynamoDb, tableName), clock);
        tracking.ensureDefaultExperiment();
        return new TrackingFunction(tracking, new S3ArtifactStore(s3, presigner, artifactBucket), RouteTable.capstan());
    }

    /** The operations this function implements, for the test that walks the route table. */
    public java.util.Set<String> operations() {
        return handlers.keySet();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        Optional<RouteMatch> match = routes.match(request.method(), request.path())
                .filter(m -> m.route().function() == FunctionId.TRACKING);
        if (match.isEmpty()) {
            return Responses.error(new CapstanException(ErrorCode.ENDPOINT_NOT_FOUND,
                    "No API endpoint " + request.method() + " " + request.path() + "."));
        }
        Handler handler = handlers.get(match.get().route().operation());
        try {
            return handler.handle(request, match.get().pathParameters());
        } catch (CapstanException e) {
            if (e.retryable()) {
                LOG.log(System.Logger.Level.WARNING, "{0} {1} failed: {2}", request.method(), request.path(),
                        e.getMessage());
            }
            return Responses.error(e);
        } catch (SdkException e) {
            LOG.log(System.Logger.Level.ERROR, "storage call failed for " + request.method() + " " + request.path(), e);
            ErrorCode code = e.retryable() ? ErrorCode.TEMPORARILY_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
            return Responses.error(new CapstanException(code, "Storage is unavailable: " + e.getClass().getSimpleName()
                    + (e.retryable() ? "; retry the request." : ".")));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure for " + request.method() + " " + request.path(), e);
            return Responses.error(new CapstanException(ErrorCode.INTERNAL_ERROR,
                    "Internal error while handling " + request.method() + " " + request.path() + "."));
        }
    }
}
