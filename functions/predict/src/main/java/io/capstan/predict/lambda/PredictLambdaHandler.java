package io.capstan.predict.lambda;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpResponse;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.predict.ModelResolver;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.function.PrimeOutcome;
import io.capstan.predict.registry.RegistryModelResolver;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.store.s3.S3ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The predict function's Lambda entry point: a plain {@code aws-lambda-java-core} stream handler around
 * {@link PredictFunction} for API Gateway HTTP API (payload 2.0) events. The environment is read once, here.
 *
 * <p>SnapStart: the handler registers itself as an {@code org.crac} {@link Resource}. Lambda calls
 * {@link #beforeCheckpoint} once, after init and before it snapshots the initialized environment; priming there loads
 * the models the resolver calls hot (fetching the ONNX bytes and creating the sessions) and runs one request through
 * each protocol, so every environment restored from the snapshot starts with loaded sessions and warmed parsing,
 * inference and writing code instead of paying for them on its first request. Without SnapStart (or outside Lambda)
 * no checkpoint happens and the hook never runs.
 */
public final class PredictLambdaHandler implements RequestStreamHandler, Resource {
    private static final System.Logger LOG = System.getLogger(PredictLambdaHandler.class.getName());

    static {
        // Runs before any ONNX Runtime class initializes (the constructor creates the environment). Set here rather
        // than through JAVA_TOOL_OPTIONS in the CDK stack: the package knows its own layout, so the path cannot drift
        // from it, JAVA_TOOL_OPTIONS stays free for JVM flags, and no "Picked up ..." line is logged per cold start.
        BundledOnnxRuntime.useBundledNatives(System.getenv(), System.getProperties()).ifPresent(directory ->
                LOG.log(System.Logger.Level.DEBUG, "ONNX Runtime natives from {0}", directory));
    }

    private final PredictFunction function;

    /** Lambda's constructor: the resolver from the environment CDK sets, the predict routes of the route table. */
    public PredictLambdaHandler() {
        this(resolverFromEnvironment(System.getenv()));
    }

    /** A handler on {@code resolver}, serving the predict routes of the shared route table. */
    public PredictLambdaHandler(ModelResolver resolver) {
        this(resolver, predictRoutes());
    }

    /** A handler on {@code resolver}, serving {@code routes}. */
    public PredictLambdaHandler(ModelResolver resolver, List<Route> routes) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                "capstan-predict");
        this.function = PredictFunction.create(environment, Objects.requireNonNull(resolver, "resolver"), routes);
        // org.crac's global context holds resources weakly; Lambda keeps this handler for the life of the environment
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpResponse response = function.apply(ApiGatewayEvents.read(input.readAllBytes()));
        ApiGatewayEvents.write(response, output);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        for (PrimeOutcome outcome : function.prime()) {
            if (outcome instanceof PrimeOutcome.Primed primed) {
                LOG.log(System.Logger.Level.INFO, "primed {0} (version {1}) in {2} ms", primed.reference(),
                        primed.version(), primed.took().toMillis());
            } else if (outcome instanceof PrimeOutcome.Failed failed) {
                LOG.log(System.Logger.Level.WARNING, "could not prime {0}: {1}", failed.reference(), failed.reason());
            }
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: the sessions hold no connections, credentials or randomness
    }

    /** The registry-backed resolver on DynamoDB and S3, from the environment the CDK API stack sets. */
    static ModelResolver resolverFromEnvironment(Map<String, String> environment) {
        String table = LambdaEnvironment.required(environment, TableDefinition.METADATA.tableNameEnvVar());
        String bucket = LambdaEnvironment.required(environment, BucketDefinition.ARTIFACTS.nameEnvVar());
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return new RegistryModelResolver(new DynamoDbRegistryStore(dynamoDb, table),
                new S3ArtifactStore(s3, S3Presigner.create(), bucket), Clock.systemUTC(), new SplittableRandom());
    }

    /** The predict routes of the shared route table. */
    static List<Route> predictRoutes() {
        return RouteTable.capstan().routesOf(FunctionId.PREDICT);
    }
}
