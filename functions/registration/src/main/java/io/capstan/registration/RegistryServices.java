package io.capstan.registration;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.registration.onnx.OnnxModelCheck;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryService;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The model registry's services on the single table and the artifact bucket, built in this one place for the registry
 * function, the retraining pipeline and the embedded platform. Versions register in the request; a caller that hands
 * large sources to the background wraps {@link #registry()} with {@link RegistryService#registeringInBackground}.
 *
 * @param registry   registered models and versions, registering each version's source into the registry's copy
 * @param promotions aliases, stages and serving controls
 * @param artifacts  the artifact bucket the copies live in
 */
public record RegistryServices(RegistryService registry, PromotionService promotions, S3ArtifactStore artifacts) {

    /**
     * @param tracking       the runs and logged models that {@code runs:/} and {@code models:/} sources name
     * @param artifactBucket the artifact bucket: sources are read from it and copies written to it
     * @param ort            checks each ONNX graph before a version is {@code READY}
     */
    public static RegistryServices create(TrackingService tracking, DynamoDbClient dynamoDb, String table, S3Client s3,
                                          S3Presigner presigner, String artifactBucket, OrtEnvironment ort,
                                          Clock clock) {
        S3ArtifactStore artifacts = new S3ArtifactStore(s3, presigner, artifactBucket);
        DynamoDbRegistryStore store = new DynamoDbRegistryStore(dynamoDb, table);
        RegistryService registry = new RegistryService(store, new ArtifactModelRegistration(artifacts, artifactBucket,
                tracking, new OnnxModelCheck(ort)), clock);
        return new RegistryServices(registry, new PromotionService(store, clock), artifacts);
    }
}
