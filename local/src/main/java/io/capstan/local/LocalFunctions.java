package io.capstan.local;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.local.internal.CachedRunStore;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryService;
import io.capstan.registry.function.ArtifactModelRegistration;
import io.capstan.registry.function.RegistryFunction;
import io.capstan.registry.onnx.OnnxModelCheck;
import io.capstan.storage.BucketDefinition;
import io.capstan.store.dynamodb.DynamoDbExperimentStore;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.store.dynamodb.DynamoDbRunStore;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.function.TrackingFunction;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The functions of the embedded platform, wired on the local engines exactly as their Lambda entry points wire
 * them on DynamoDB and S3, with one difference: this process owns the data directory, so run summaries are cached
 * write-through ({@link CachedRunStore}).
 */
final class LocalFunctions {
    private LocalFunctions() {
    }

    static Map<FunctionId, Function<HttpRequest, HttpResponse>> create(LocalEngines engines, Clock clock) {
        String table = engines.tableName();
        String bucket = engines.bucketName(BucketDefinition.ARTIFACTS);
        S3ArtifactStore artifacts = new S3ArtifactStore(engines.s3Client(), engines.s3Presigner(), bucket);
        TrackingService tracking = new TrackingService(new DynamoDbExperimentStore(engines.dynamoDbClient(), table),
                new CachedRunStore(new DynamoDbRunStore(engines.dynamoDbClient(), table)), clock);
        tracking.ensureDefaultExperiment();
        DynamoDbRegistryStore registryStore = new DynamoDbRegistryStore(engines.dynamoDbClient(), table);
        ArtifactModelRegistration registration = new ArtifactModelRegistration(artifacts, bucket, tracking,
                new OnnxModelCheck(OrtEnvironment.getEnvironment()));
        RegistryService registry = new RegistryService(registryStore, registration, clock);
        PromotionService promotions = new PromotionService(registryStore, clock);

        Map<FunctionId, Function<HttpRequest, HttpResponse>> functions = new EnumMap<>(FunctionId.class);
        functions.put(FunctionId.TRACKING, new TrackingFunction(tracking, artifacts, RouteTable.capstan()));
        functions.put(FunctionId.REGISTRY, new RegistryFunction(registry, promotions, RouteTable.capstan()));
        return functions;
    }
}
