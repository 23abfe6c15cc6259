package io.capstan.local;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.RouteTable;
import io.capstan.local.internal.CachedRunStore;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.local.pipeline.LocalPipelineWiring;
import io.capstan.pipeline.lambda.PipelineWiring;
import io.capstan.pipeline.tasks.PipelineServices;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.registry.RegistryModelResolver;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import ai.onnxruntime.OrtEnvironment;
import java.util.SplittableRandom;
import io.capstan.registry.function.RegistryFunction;
import io.capstan.storage.BucketDefinition;
import io.capstan.store.dynamodb.DynamoDbExperimentStore;
import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.function.TrackingFunction;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The functions of the embedded platform, wired on the local engines as their Lambda entry points wire them on
 * DynamoDB and S3, with two differences: this process owns the data directory, so run summaries are cached
 * write-through ({@link CachedRunStore}); and the retraining pipeline runs on the local state machine interpreter
 * and the local trainer ({@link LocalPipelineWiring}).
 *
 * @param functions  the function serving each {@link FunctionId}
 * @param internal   the platform's own endpoints, by path prefix
 * @param pipeline   the local pipeline engine, empty when the pipeline cannot run here
 * @param closeables what to stop with the platform
 */
record LocalFunctions(Map<FunctionId, Function<HttpRequest, HttpResponse>> functions,
                      Map<String, Function<HttpRequest, HttpResponse>> internal,
                      Optional<LocalPipelineWiring> pipeline, List<AutoCloseable> closeables) {

    static LocalFunctions create(LocalEngines engines, Supplier<URI> gateway, Consumer<String> log, Clock clock) {
        String table = engines.tableName();
        String artifacts = engines.bucketName(BucketDefinition.ARTIFACTS);
        TrackingService tracking = new TrackingService(new DynamoDbExperimentStore(engines.dynamoDbClient(), table),
                new CachedRunStore(new DynamoDbRunStore(engines.dynamoDbClient(), table)), clock);
        tracking.ensureDefaultExperiment();
        PipelineServices services = PipelineWiring.services(tracking, engines.dynamoDbClient(), table,
                engines.s3Client(), engines.s3Presigner(), artifacts, engines.bucketName(BucketDefinition.DATASETS), "",
                clock);

        Map<FunctionId, Function<HttpRequest, HttpResponse>> functions = new EnumMap<>(FunctionId.class);
        functions.put(FunctionId.TRACKING, new TrackingFunction(tracking, services.artifacts(), RouteTable.capstan()));
        functions.put(FunctionId.REGISTRY, new RegistryFunction(services.registry(), services.promotions(),
                RouteTable.capstan()));
        functions.put(FunctionId.PREDICT, PredictFunction.create(OrtEnvironment.getEnvironment(),
                new RegistryModelResolver(new DynamoDbRegistryStore(engines.dynamoDbClient(), table),
                        services.artifacts(), clock, new SplittableRandom()),
                RouteTable.capstan().routesOf(FunctionId.PREDICT)));
        Map<String, Function<HttpRequest, HttpResponse>> internal = new java.util.HashMap<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        Optional<LocalPipelineWiring> pipeline;
        try {
            LocalPipelineWiring wiring = LocalPipelineWiring.create(LocalRepository.locate().orElseThrow(() ->
                    new IllegalStateException("the repository (step-functions/, sagemaker-jobs/) was not found; set"
                            + " -Dcapstan.home")), services, engines, gateway, log, clock);
            functions.put(FunctionId.PIPELINE, wiring.function());
            internal.put(io.capstan.local.pipeline.LocalTasks.PATH, wiring.tasks());
            closeables.add(wiring);
            pipeline = Optional.of(wiring);
        } catch (IllegalStateException e) {
            log.accept("Retraining pipeline unavailable: " + e.getMessage());
            String reason = e.getMessage();
            functions.put(FunctionId.PIPELINE, request -> JsonResponses.error(new CapstanException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE, "The retraining pipeline cannot run on this platform: " + reason)));
            pipeline = Optional.empty();
        }
        return new LocalFunctions(functions, internal, pipeline, closeables);
    }

    /** The local pipeline engine, for callers that wait for executions (tests, the demo). */
    Optional<LocalPipelineEngine> pipelineEngine() {
        return pipeline.map(LocalPipelineWiring::engine);
    }
}
