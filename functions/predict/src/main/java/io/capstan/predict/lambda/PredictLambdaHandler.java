package io.capstan.predict.lambda;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpResponse;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.BundledOnnxRuntime;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.predict.ModelResolver;
import io.capstan.predict.capture.CaptureSettings;
import io.capstan.predict.capture.PredictionLog;
import io.capstan.predict.capture.S3CaptureSink;
import io.capstan.predict.capture.SketchCapture;
import io.capstan.predict.capture.TrafficCapture;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p>Traffic capture ({@link #captureFromEnvironment}): every scored batch is folded into sketches that are flushed
 * inline, by the request that finds the 60 s interval elapsed, to the capture bucket. Before a checkpoint the capture
 * is flushed and emptied; after a restore it takes a new container name.
 */
public final class PredictLambdaHandler implements RequestStreamHandler, Resource {
    private static final System.Logger LOG = System.getLogger(PredictLambdaHandler.class.getName());

    static {
        // Runs before any ONNX Runtime class initializes (the constructor creates the environment). Set here rather
        // than through JAVA_TOOL_OPTIONS in the CDK stack: the package knows its own layout, so the path cannot drift
        // from it, JAVA_TOOL_OPTIONS stays free for JVM flags, and no "Picked up ..." line is logged per cold start.
        BundledOnnxRuntime.useInLambda();
    }

    private final PredictFunction function;
    private final TrafficCapture capture;

    /**
     * Lambda's constructor: the resolver and the traffic capture from the environment CDK sets, the predict routes of
     * the route table.
     */
    public PredictLambdaHandler() {
        this(Wiring.fromEnvironment(System.getenv()));
    }

    private PredictLambdaHandler(Wiring wiring) {
        this(wiring.resolver(), predictRoutes(), wiring.capture());
    }

    /** A handler on {@code resolver}, serving the predict routes of the shared route table, capturing nothing. */
    public PredictLambdaHandler(ModelResolver resolver) {
        this(resolver, predictRoutes());
    }

    /** A handler on {@code resolver}, serving {@code routes}, capturing nothing. */
    public PredictLambdaHandler(ModelResolver resolver, List<Route> routes) {
        this(resolver, routes, TrafficCapture.off());
    }

    /** A handler on {@code resolver}, serving {@code routes}, with scored rows going to {@code capture}. */
    public PredictLambdaHandler(ModelResolver resolver, List<Route> routes, TrafficCapture capture) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                "capstan-predict");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.function = PredictFunction.create(environment, Objects.requireNonNull(resolver, "resolver"), routes,
                capture);
        // org.crac's global context holds resources weakly; Lambda keeps this handler for the life of the environment
        Core.getGlobalContext().register(this);
        if (capture != TrafficCapture.off()) {
            // Lambda sends SIGTERM (and so runs shutdown hooks) only to functions with an extension registered; without
            // one an environment is frozen and reclaimed, and its last interval of captured rows is not written
            Runtime.getRuntime().addShutdownHook(new Thread(capture::close, "capstan-capture-shutdown"));
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.serve(input, output, function);
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
        // nothing captured may be left in the snapshot: every restored environment would write it again
        capture.beforeCheckpoint();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // the sessions hold no connections, credentials or randomness; the capture's container name must be new, or
        // every environment restored from one snapshot would name its sketches alike
        capture.afterRestore();
    }

    /**
     * The traffic capture the environment asks for, into the bucket named by {@code CAPSTAN_CAPTURE_BUCKET}: sketches
     * for drift checks flushed every 60 s (off when {@value CaptureSettings#SWITCH_ENV} is {@code off}) and one record
     * per scored row for quality checks, flushed alike (off when {@value PredictionLog#SWITCH_ENV} is {@code off}).
     * Without that bucket both are off, with a warning: serving does not depend on them.
     *
     * @throws IllegalArgumentException when a switch is neither {@code on} nor {@code off}
     */
    static TrafficCapture captureFromEnvironment(Map<String, String> environment, S3Client s3, Clock clock) {
        boolean sketches = CaptureSettings.enabled(environment);
        boolean predictions = PredictionLog.enabled(environment);
        if (!sketches && !predictions) {
            LOG.log(System.Logger.Level.INFO, "traffic capture is off ({0}=off, {1}=off)", CaptureSettings.SWITCH_ENV,
                    PredictionLog.SWITCH_ENV);
            return TrafficCapture.off();
        }
        String bucket = environment.get(BucketDefinition.CAPTURE.nameEnvVar());
        if (bucket == null || bucket.isBlank()) {
            LOG.log(System.Logger.Level.WARNING, "traffic capture is off: {0} is not set, so there is no bucket to"
                    + " write sketches and prediction records to (set it, or {1}=off and {2}=off to silence this)",
                    BucketDefinition.CAPTURE.nameEnvVar(), CaptureSettings.SWITCH_ENV, PredictionLog.SWITCH_ENV);
            return TrafficCapture.off();
        }
        S3CaptureSink sink = new S3CaptureSink(s3, bucket);
        CaptureSettings settings = CaptureSettings.defaults().withEnvironment(environment);
        TrafficCapture sketch = sketches ? SketchCapture.create(sink, settings, clock) : TrafficCapture.off();
        TrafficCapture records = predictions ? new PredictionLog(sink, settings.flushInterval(),
                PredictionLog.DEFAULT_MAX_BUFFERED_BYTES, clock) : TrafficCapture.off();
        return TrafficCapture.both(sketch, records);
    }

    /**
     * What the environment wires, from the variables the CDK API stack sets: the registry-backed resolver on DynamoDB
     * and S3, and the capture, on one S3 client for the models, their profiles and the captured sketches.
     */
    record Wiring(ModelResolver resolver, TrafficCapture capture, S3Client s3) {

        static Wiring fromEnvironment(Map<String, String> environment) {
            String table = LambdaEnvironment.required(environment, TableDefinition.METADATA.tableNameEnvVar());
            String bucket = LambdaEnvironment.required(environment, BucketDefinition.ARTIFACTS.nameEnvVar());
            DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
            ModelResolver resolver = new RegistryModelResolver(new DynamoDbRegistryStore(dynamoDb, table),
                    new S3ArtifactStore(s3, S3Presigner.create(), bucket), Clock.systemUTC(), new SecureRandom());
            return new Wiring(resolver, captureFromEnvironment(environment, s3, Clock.systemUTC()), s3);
        }
    }

    /** The predict routes of the shared route table. */
    static List<Route> predictRoutes() {
        return RouteTable.capstan().routesOf(FunctionId.PREDICT);
    }
}
