package io.capstan.tracking.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.TrackingService.SearchPreparation;
import io.capstan.tracking.function.TrackingFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The tracking function's Lambda entry point: a thin plain {@code aws-lambda-java-core} handler (it starts
 * 3.6× faster than Spring Cloud Function's invoker) around {@link TrackingFunction}. The environment is read
 * once, here; the function and its clients are built during init, so SnapStart snapshots them warm.
 *
 * <p>Besides API Gateway requests it takes the maintenance event a deploy sends ({@value #MAINTENANCE_SOURCE},
 * {@code events/maintenance/index-runs.json}): it indexes the runs written before the run search index existed, for
 * as long as the invocation has time, and answers how many experiments are indexed. Experiments it does not reach
 * are indexed by their first searches.
 */
public final class TrackingLambdaHandler implements RequestStreamHandler {
    /** The {@code source} of maintenance events. */
    public static final String MAINTENANCE_SOURCE = "capstan.maintenance";
    /** The maintenance action that indexes earlier runs for search. */
    public static final String INDEX_RUNS = "index-runs";
    /** Time left unused at the end of a maintenance invocation, so that it answers before Lambda stops it. */
    private static final Duration RESERVE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<HttpRequest, HttpResponse> function;
    private final TrackingService tracking;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public TrackingLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    private TrackingLambdaHandler(TrackingService tracking, ArtifactStore artifacts) {
        this(new TrackingFunction(tracking, artifacts, RouteTable.capstan()), tracking);
    }

    private TrackingLambdaHandler(Wiring wiring) {
        this(wiring.tracking(), wiring.artifacts());
    }

    /**
     * @param function serves API Gateway requests
     * @param tracking runs maintenance events
     */
    public TrackingLambdaHandler(Function<HttpRequest, HttpResponse> function, TrackingService tracking) {
        this.function = Objects.requireNonNull(function, "function");
        this.tracking = Objects.requireNonNull(tracking, "tracking");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        JsonNode json = JSON.readTree(event);
        if (json != null && MAINTENANCE_SOURCE.equals(json.path("source").asText())) {
            String action = json.path("action").asText();
            if (!INDEX_RUNS.equals(action)) {
                throw new IllegalArgumentException("Unknown maintenance action '" + action + "'; the one action is "
                        + INDEX_RUNS);
            }
            Duration budget = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
            SearchPreparation done = tracking.prepareRunSearch(budget.isNegative() ? Duration.ZERO : budget);
            JSON.writeValue(output, Map.of("experiments", done.experiments(), "indexed", done.indexed(),
                    "done", done.done()));
            return;
        }
        ApiGatewayEvents.write(function.apply(ApiGatewayEvents.read(event)), output);
    }

    static Wiring fromEnvironment(Map<String, String> env) {
        String table = LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar());
        String bucket = LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar());
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        TrackingService tracking = DynamoDbTracking.service(dynamoDb, table, Clock.systemUTC());
        tracking.ensureDefaultExperiment();
        return new Wiring(tracking, new S3ArtifactStore(s3, S3Presigner.create(), bucket));
    }

    /** The tracking service and the artifact store, on the clients the environment names. */
    record Wiring(TrackingService tracking, ArtifactStore artifacts) {
    }
}
