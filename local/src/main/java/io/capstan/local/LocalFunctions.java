package io.capstan.local;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.console.ConsoleFunction;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.RouteTable;
import io.capstan.local.batch.LocalBatchWiring;
import io.capstan.local.drift.LocalDriftWiring;
import io.capstan.local.internal.CachedRunStore;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.local.pipeline.LocalPipelineWiring;
import io.capstan.local.pipeline.LocalTasks;
import io.capstan.local.pipeline.StateMachineRunner;
import io.capstan.local.pipeline.TaskEndpoint;
import io.capstan.local.quality.LocalQualityWiring;
import io.capstan.pipeline.lambda.PipelineWiring;
import io.capstan.pipeline.tasks.PipelineServices;
import io.capstan.predict.capture.CaptureSettings;
import io.capstan.predict.capture.PredictionLog;
import io.capstan.predict.capture.S3CaptureSink;
import io.capstan.predict.capture.SketchCapture;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.registry.RegistryModelResolver;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegistryService;
import io.capstan.registry.function.RegistryFunction;
import io.capstan.storage.BucketDefinition;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.dynamodb.DynamoDbUsage;
import io.capstan.store.dynamodb.MeteredDynamoDbClient;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.function.TrackingFunction;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The functions of the embedded platform, wired on the local engines as their Lambda entry points wire them on
 * DynamoDB and S3, with two differences: this process owns the data directory, so run summaries are cached
 * write-through ({@link CachedRunStore}); and the retraining pipeline runs on the local state machine interpreter
 * and the local trainer ({@link LocalPipelineWiring}).
 *
 * @param functions  the function serving each {@link FunctionId}
 * @param internal   the platform's own endpoints, by path prefix, served on the platform's own listener
 * @param pipeline   the local pipeline engine, empty when the pipeline cannot run here
 * @param drift      the drift checks and their schedule
 * @param quality    the quality checks, their schedule and alarms
 * @param batch      batch predictions, empty when the state machine runner cannot run here
 * @param closeables what to stop with the platform
 */
record LocalFunctions(Map<FunctionId, Function<HttpRequest, HttpResponse>> functions,
                      Map<String, Function<HttpRequest, CompletionStage<HttpResponse>>> internal,
                      Optional<LocalPipelineWiring> pipeline, LocalDriftWiring drift, LocalQualityWiring quality,
                      Optional<LocalBatchWiring> batch, List<AutoCloseable> closeables) {
    static final long DEFAULT_CAPTURE_FLUSH_SECONDS = 10;

    /**
     * @param tasks where the state machine runner reaches the pipeline's task endpoint ({@link #internal()}, served
     *              by the caller on the platform's own listener)
     */
    static LocalFunctions create(LocalEngines engines, TaskEndpoint tasks, Consumer<String> log, Clock clock) {
        String table = engines.tableName();
        String artifacts = engines.bucketName(BucketDefinition.ARTIFACTS);
        boolean lambdaPath = Boolean.getBoolean(LocalPlatform.LAMBDA_PATH_PROPERTY);
        TrackingService tracking = DynamoDbTracking.service(engines.dynamoDbClient(), table, clock,
                lambdaPath ? UnaryOperator.identity() : CachedRunStore::new);
        tracking.ensureDefaultExperiment();
        PipelineServices services = PipelineWiring.services(tracking, engines.dynamoDbClient(), table,
                engines.s3Client(), engines.s3Presigner(), artifacts, engines.bucketName(BucketDefinition.DATASETS), "",
                clock);

        Map<FunctionId, Function<HttpRequest, HttpResponse>> functions = new EnumMap<>(FunctionId.class);
        functions.put(FunctionId.TRACKING, lambdaPath ? coldTracking(engines, services.artifacts(), log, clock)
                : new TrackingFunction(tracking, services.artifacts(), RouteTable.capstan()));
        ExecutorService registrations = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "capstan-registration");
            thread.setDaemon(true);
            return thread;
        });
        RegistryService registry = services.registry().registeringInBackground((name, version) ->
                registrations.execute(() -> completeRegistration(services.registry(), name, version, log)),
                Long.getLong(LocalPlatform.REGISTRATION_BACKGROUND_PROPERTY, RegistryService.DEFAULT_BACKGROUND_BYTES));
        functions.put(FunctionId.REGISTRY, new RegistryFunction(registry, services.promotions(), RouteTable.capstan()));
        TrafficCapture capture = trafficCapture(engines, log, clock);
        functions.put(FunctionId.PREDICT, PredictFunction.create(OrtEnvironment.getEnvironment(),
                new RegistryModelResolver(new DynamoDbRegistryStore(engines.dynamoDbClient(), table),
                        services.artifacts(), clock, new SecureRandom()),
                RouteTable.capstan().routesOf(FunctionId.PREDICT), capture));
        Map<String, Function<HttpRequest, CompletionStage<HttpResponse>>> internal = new HashMap<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        closeables.add(capture); // the gateway stops first; what is left is flushed before the engines stop
        // a registration cut off here stays pending until its deadline passes, then reads as failed
        closeables.add(registrations::shutdownNow);
        Optional<LocalPipelineWiring> pipeline;
        try {
            LocalPipelineWiring wiring = LocalPipelineWiring.create(repository(), services, engines, tasks, log,
                    clock);
            functions.put(FunctionId.PIPELINE, wiring.function());
            internal.put(LocalTasks.PATH, wiring.tasks());
            closeables.add(wiring);
            pipeline = Optional.of(wiring);
        } catch (IllegalStateException e) {
            functions.put(FunctionId.PIPELINE, unavailable("The retraining pipeline", e, log));
            pipeline = Optional.empty();
        }
        Optional<StateMachineRunner> runner;
        try {
            runner = Optional.of(StateMachineRunner.inRepository(repository(),
                    Long.getLong(LocalPipelineWiring.RETRY_INTERVAL_PROPERTY, 0L)));
        } catch (IllegalStateException e) {
            log.accept("Distributed drift checks and batch predictions unavailable: " + e.getMessage());
            runner = Optional.empty();
        }
        LocalDriftWiring drift = LocalDriftWiring.create(engines, pipeline.map(LocalPipelineWiring::engine),
                runner, tasks, log, clock);
        functions.put(FunctionId.DRIFT, drift.function());
        drift.profileTasks().ifPresent(profiles -> internal.put(LocalDriftWiring.TASKS_PATH, profiles));
        LocalQualityWiring quality = LocalQualityWiring.create(engines, pipeline.map(LocalPipelineWiring::engine), log,
                clock);
        functions.put(FunctionId.QUALITY, quality.function());
        closeables.add(quality);
        functions.put(FunctionId.CONSOLE, new ConsoleFunction());
        closeables.add(drift);
        Optional<LocalBatchWiring> batch;
        try {
            LocalBatchWiring wiring = LocalBatchWiring.create(engines, runner.orElseThrow(() ->
                    new IllegalStateException("the state machine runner is not installed")), tasks,
                    functions.get(FunctionId.PREDICT), new DynamoDbRegistryStore(engines.dynamoDbClient(), table), log,
                    clock);
            functions.put(FunctionId.BATCH, wiring.function());
            internal.put(LocalBatchWiring.TASKS_PATH, wiring.tasks());
            closeables.add(wiring);
            batch = Optional.of(wiring);
        } catch (IllegalStateException e) {
            functions.put(FunctionId.BATCH, unavailable("Batch predictions", e, log));
            batch = Optional.empty();
        }
        return new LocalFunctions(functions, internal, pipeline, drift, quality, batch, closeables);
    }

    /**
     * The repository the state machines' runner and the trainer come from.
     *
     * @throws IllegalStateException when it is not found
     */
    private static Path repository() {
        return LocalRepository.locate().orElseThrow(() -> new IllegalStateException("the repository"
                + " (step-functions/, sagemaker-jobs/) was not found; set -Dcapstan.home"));
    }

    /** A function answering 503 with why {@code what} cannot run here (its runner or trainer is not installed). */
    private static Function<HttpRequest, HttpResponse> unavailable(String what, IllegalStateException why,
                                                                 Consumer<String> log) {
        log.accept(what + " unavailable: " + why.getMessage());
        CapstanException refusal = new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE, what + " cannot run on this"
                + " platform: " + why.getMessage());
        return request -> JsonResponses.error(refusal);
    }

    /**
     * Tracking as a cold Lambda container serves it: each request on newly built stores (no process cache), its
     * DynamoDB usage counted, logged and returned in {@value LocalPlatform#USAGE_HEADER}.
     */
    private static Function<HttpRequest, HttpResponse> coldTracking(LocalEngines engines, ArtifactStore artifacts,
                                                                    Consumer<String> log, Clock clock) {
        DynamoDbClient metered = new MeteredDynamoDbClient(engines.dynamoDbClient());
        log.accept("Lambda-path mode (-D" + LocalPlatform.LAMBDA_PATH_PROPERTY + "): tracking without the run cache, "
                + "each request as a cold container; DynamoDB usage per request in " + LocalPlatform.USAGE_HEADER);
        return request -> {
            DynamoDbUsage.Measured<HttpResponse> served = DynamoDbUsage.measure(() -> new TrackingFunction(
                    DynamoDbTracking.service(metered, engines.tableName(), clock), artifacts, RouteTable.capstan())
                    .apply(request));
            HttpResponse response = served.result();
            String usage = served.usage().describe();
            log.accept(request.method() + " " + request.path() + " " + response.status() + " dynamodb: " + usage);
            Map<String, String> headers = new HashMap<>(response.headers());
            headers.put(LocalPlatform.USAGE_HEADER, usage);
            return new HttpResponse(response.status(), headers, response.body());
        };
    }

    /**
     * The predict function's traffic capture: sketches flushed to the capture bucket every
     * {@value LocalPlatform#CAPTURE_FLUSH_PROPERTY} seconds (10 by default) by a timer, and at stop; off with
     * {@code CAPSTAN_CAPTURE=off}.
     */
    private static TrafficCapture trafficCapture(LocalEngines engines, Consumer<String> log, Clock clock) {
        boolean sketches = CaptureSettings.enabled(System.getenv());
        boolean predictions = PredictionLog.enabled(System.getenv());
        if (!sketches && !predictions) {
            log.accept("Traffic capture off (CAPSTAN_CAPTURE=off, CAPSTAN_PREDICTION_LOG=off)");
            return TrafficCapture.off();
        }
        long seconds = Long.getLong(LocalPlatform.CAPTURE_FLUSH_PROPERTY, DEFAULT_CAPTURE_FLUSH_SECONDS);
        if (seconds < 1) {
            throw new IllegalArgumentException(LocalPlatform.CAPTURE_FLUSH_PROPERTY + " must be at least 1 second, got "
                    + seconds);
        }
        String bucket = engines.bucketName(BucketDefinition.CAPTURE);
        S3CaptureSink sink = new S3CaptureSink(engines.s3Client(), bucket);
        Duration interval = Duration.ofSeconds(seconds);
        TrafficCapture sketch = TrafficCapture.off();
        if (sketches) {
            log.accept("Traffic capture: sketches of served rows to s3://" + bucket + "/capture/ every " + seconds
                    + " s (-D" + LocalPlatform.CAPTURE_FLUSH_PROPERTY + ")");
            sketch = SketchCapture.create(sink, CaptureSettings.defaults().withFlushInterval(interval)
                    .withEnvironment(System.getenv()), clock)
                    .startBackgroundFlush();
        }
        TrafficCapture records = TrafficCapture.off();
        if (predictions) {
            log.accept("Prediction records: one per served row to s3://" + bucket + "/predictions/ every " + seconds
                    + " s");
            records = new PredictionLog(sink, interval, PredictionLog.DEFAULT_MAX_BUFFERED_BYTES, clock)
                    .startBackgroundFlush();
        }
        return TrafficCapture.both(sketch, records);
    }

    /** Registers a version handed to the background, as the registry function's self-invocation does in AWS. */
    private static void completeRegistration(RegistryService registry, String name, long version,
                                             Consumer<String> log) {
        try {
            ModelVersion done = registry.completeRegistration(name, version);
            log.accept("Registered " + name + " version " + version + " in the background: " + done.status());
        } catch (RuntimeException e) {
            log.accept("Registering " + name + " version " + version + " in the background failed: " + e);
        }
    }

    /** The local pipeline engine, for callers that wait for executions (tests, the demo). */
    Optional<LocalPipelineEngine> pipelineEngine() {
        return pipeline.map(LocalPipelineWiring::engine);
    }
}
