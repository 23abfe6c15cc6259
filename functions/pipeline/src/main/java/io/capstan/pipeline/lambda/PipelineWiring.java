package io.capstan.pipeline.lambda;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.model.TrainerMetrics;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.pipeline.notification.SnsApprovalNotifier;
import io.capstan.pipeline.storage.S3DatasetObjects;
import io.capstan.pipeline.tasks.ApprovalNotifier;
import io.capstan.pipeline.tasks.OnnxEvaluation;
import io.capstan.pipeline.tasks.PipelineServices;
import io.capstan.registration.RegistryServices;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbPipelineStore;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** The pipeline's services wired on DynamoDB and S3 from the environment the CDK pipeline stack sets. */
public final class PipelineWiring {
    /** The default training image (Capstan's trainer, built by CDK). */
    public static final String TRAINER_IMAGE_ENV = RetrainStateMachine.TRAINER_IMAGE_ENV;
    /** The retraining state machine. */
    public static final String STATE_MACHINE_ENV = RetrainStateMachine.STATE_MACHINE_ARN_ENV;
    /** The notification topic approval requests are published to. */
    public static final String NOTIFICATION_TOPIC_ENV = RetrainStateMachine.NOTIFICATION_TOPIC_ENV;
    /** The most GPUs one Batch training job may ask for. */
    public static final String BATCH_MAX_GPUS_ENV = RetrainStateMachine.BATCH_MAX_GPUS_ENV;

    private PipelineWiring() {
    }

    static PipelineServices fromEnvironment(Map<String, String> env) {
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        SnsClient sns = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        SageMakerClient sageMaker = SageMakerClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return services(dynamoDb, LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar()), s3,
                S3Presigner.create(), LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar()),
                LambdaEnvironment.required(env, BucketDefinition.DATASETS.nameEnvVar()),
                env.getOrDefault(TRAINER_IMAGE_ENV, ""), Clock.systemUTC())
                .deployedWith(approvalNotifier(env, sns), batchMaxGpus(env))
                .withTuningJobs(new SageMakerTuningJobs(sageMaker));
    }

    /** Publishes approval requests to the topic the CDK pipeline stack names. */
    static ApprovalNotifier approvalNotifier(Map<String, String> env, SnsClient sns) {
        return new SnsApprovalNotifier(sns, LambdaEnvironment.required(env, NOTIFICATION_TOPIC_ENV));
    }

    /**
     * The most GPUs a Batch job may ask for, as the CDK pipeline stack computed it from the compute environment.
     *
     * @throws IllegalStateException when the variable is missing or not a whole number
     */
    static int batchMaxGpus(Map<String, String> env) {
        return Math.toIntExact(LambdaEnvironment.requiredNumber(env, BATCH_MAX_GPUS_ENV));
    }

    /**
     * The services on these clients.
     *
     * @param trainerImage the default training image; empty where training runs locally
     */
    public static PipelineServices services(DynamoDbClient dynamoDb, String table, S3Client s3, S3Presigner presigner,
                                            String artifactBucket, String datasetBucket, String trainerImage,
                                            Clock clock) {
        TrackingService tracking = DynamoDbTracking.service(dynamoDb, table, clock);
        return services(tracking, dynamoDb, table, s3, presigner, artifactBucket, datasetBucket, trainerImage, clock);
    }

    /** The services sharing an existing tracking service (the embedded platform shares its cached one). */
    public static PipelineServices services(TrackingService tracking, DynamoDbClient dynamoDb, String table, S3Client s3,
                                            S3Presigner presigner, String artifactBucket, String datasetBucket,
                                            String trainerImage, Clock clock) {
        OrtEnvironment ort = OrtEnvironment.getEnvironment();
        RegistryServices registry = RegistryServices.create(tracking, dynamoDb, table, s3, presigner, artifactBucket,
                ort, clock);
        return new PipelineServices(tracking, registry.registry(), registry.promotions(), registry.artifacts(),
                new S3DatasetObjects(s3, datasetBucket), new DynamoDbPipelineStore(dynamoDb, table),
                new OnnxEvaluation(ort), artifactBucket, trainerImage, TrainerMetrics.METRIC_DEFINITIONS.stream()
                .map(d -> Map.of("Name", d.name(), "Regex", d.regex())).toList(), clock);
    }
}
