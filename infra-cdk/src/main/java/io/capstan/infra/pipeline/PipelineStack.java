package io.capstan.infra.pipeline;

import static io.capstan.infra.storage.StorageAccess.BucketGrant.under;
import static io.capstan.infra.storage.StorageAccess.BucketGrant.whole;

import io.capstan.infra.encryption.EncryptedTopic;
import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.function.CapstanFunctionProps;
import io.capstan.infra.nag.NagFindings;
import io.capstan.infra.storage.StorageAccess;
import io.capstan.infra.storage.StorageAccess.BucketAccess;
import io.capstan.infra.storage.StorageAccess.TableAccess;
import io.capstan.infra.storage.StorageGrants;
import io.capstan.infra.storage.StorageResources;
import io.capstan.pipeline.DatasetUploads;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Capstan's retraining pipeline (stateless): the state machine from the ASL file, the Lambda function running its
 * tasks, SageMaker's training role, AWS Batch training (GPU and CPU queues), the trainer image (built by Docker when
 * {@code cdk deploy} publishes it), the notification topic, and the rule that starts retraining when a dataset is
 * uploaded under {@code datasets/<model>/} in the dataset bucket. Nothing here costs anything while idle but the
 * stack's KMS key. The API stack takes {@link #stateMachine()}: this stack is built before it and knows nothing of it.
 */
public final class PipelineStack extends Stack {

    /** The tasks function's entry point, in {@code functions/pipeline}. */
    public static final String TASKS_HANDLER = "io.capstan.pipeline.lambda.PipelineTasksLambdaHandler::handleRequest";
    /** The upload trigger's entry point, in {@code functions/pipeline}. */
    public static final String UPLOAD_TRIGGER_HANDLER =
            "io.capstan.pipeline.lambda.UploadTriggerLambdaHandler::handleRequest";
    /** Both functions' module under {@code functions/}. */
    public static final String MODULE = "pipeline";
    /** The dataset keys that start retraining: CSV files under {@code datasets/}, in either common case. */
    public static final List<String> DATASET_KEY_WILDCARDS = List.of(
            DatasetUploads.PREFIX + "*.csv", DatasetUploads.PREFIX + "*.CSV");
    /** The tasks function's memory: ONNX Runtime evaluates models on the holdout; datasets are split in memory. */
    public static final int TASKS_MEMORY_MIB = 3008;
    /** The tasks function's timeout: validating a large dataset takes minutes, not seconds. */
    public static final Duration TASKS_TIMEOUT = Duration.minutes(10);

    private final StackKey key;
    private final EncryptedTopic notifications;
    private final DockerImageAsset trainerImage;
    private final CapstanFunction tasks;
    private final Role sageMakerRole;
    private final BatchTraining batch;
    private final RetrainingStateMachine retraining;
    private final BatchPredictions batchPredictions;
    private final DriftProfiles driftProfiles;
    private final CapstanFunction uploadTrigger;
    private final Rule uploadRule;

    public PipelineStack(Construct scope, String id, PipelineStackProps props) {
        super(scope, id, StackProps.builder()
                .description("Capstan retraining pipeline (stateless): state machine, tasks and upload-trigger "
                        + "functions, SageMaker role, AWS Batch training (GPU and CPU), trainer image, notification "
                        + "topic")
                .build());
        StorageResources storage = props.storage();
        if (!storage.sendsEventsToEventBridge(BucketDefinition.DATASETS)) {
            throw new IllegalArgumentException("the dataset bucket does not send its object events to EventBridge, so "
                    + "uploads would start nothing: build the storage stack from StorageDefinitions.capstan()");
        }
        this.key = new StackKey(this, "PipelineKey", "Capstan pipeline: notification topic and log groups");
        this.notifications = new EncryptedTopic(this, "Notifications", "Capstan retraining outcomes", key);
        this.trainerImage = DockerImageAsset.Builder.create(this, "TrainerImage")
                .directory(props.sources().checkedTrainerDirectory().toString())
                // SageMaker training instances and the Batch instances (g4dn, g5, m6i, m5) are x86_64
                .platform(Platform.LINUX_AMD64)
                .build();
        StorageAccess trainingData = StorageAccess.of(TableAccess.NONE,
                under(BucketDefinition.ARTIFACTS, KeyPrefixes.PIPELINE, BucketAccess.READ),
                under(BucketDefinition.ARTIFACTS, KeyPrefixes.PIPELINE, BucketAccess.WRITE));

        this.tasks = createTasksFunction(props);
        this.sageMakerRole = createSageMakerRole(trainingData, storage);
        this.batch = new BatchTraining(this, "BatchTraining",
                new BatchTraining.Props(trainerImage, trainingData, storage, key, props.batch()));
        this.retraining = new RetrainingStateMachine(this, "Retraining", new RetrainingStateMachine.Props(
                props.sources().definition(), tasks.alias(), sageMakerRole, batch.jobQueue(), batch.cpuJobQueue(),
                batch.jobDefinition(), notifications.topic(), key));
        this.batchPredictions = new BatchPredictions(this, "BatchPredictions", new BatchPredictions.Props(
                props.sources().batchDefinition(), props.code(), storage, props.batchLocations(), key));
        this.driftProfiles = new DriftProfiles(this, "DriftProfiles", new DriftProfiles.Props(
                props.sources().profileDefinition(), props.code(), storage, retraining.stateMachine(), key));
        this.uploadTrigger = createUploadTrigger(props);
        this.uploadRule = createUploadRule(storage);

        output("StateMachineArn", "The retraining state machine (started by uploads, by POST "
                + "/api/2.0/capstan/pipelines/{model}/runs and by drift)", retraining.stateMachine().getStateMachineArn());
        output("BatchPredictionStateMachineArn", "The batch prediction state machine (started by POST "
                + "/models/{name}/batch-predictions)", batchPredictions.stateMachine().getStateMachineArn());
        output("DriftProfileStateMachineArn", "The distributed drift check's state machine (started by POST "
                + "/models/{name}/drift for a dataset too large for the drift function)",
                driftProfiles.stateMachine().getStateMachineArn());
        output("NotificationTopicArn", "SNS topic of retraining outcomes: subscribe to be told of promotions, "
                + "rejections, approvals awaited and failures", notifications.topic().getTopicArn());
        output("TrainerImageUri", "Capstan's trainer image (SageMaker and Batch)", trainerImage.getImageUri());
        output("BatchJobQueueArn", "AWS Batch job queue of the GPU compute environment", batch.jobQueue().getJobQueueArn());
        output("BatchCpuJobQueueArn", "AWS Batch job queue of the CPU compute environment (jobs asking for no GPU)",
                batch.cpuJobQueue().getJobQueueArn());
        output("SageMakerRoleArn", "Role SageMaker training jobs run as", sageMakerRole.getRoleArn());
    }

    /** The retraining state machine. */
    public IStateMachine stateMachine() {
        return retraining.stateMachine();
    }

    /** Distributed drift checks: their state machine and tasks function. */
    public DriftProfiles driftProfiles() {
        return driftProfiles;
    }

    /** Batch predictions: their state machine and tasks function. */
    public BatchPredictions batchPredictions() {
        return batchPredictions;
    }

    public RetrainingStateMachine retraining() {
        return retraining;
    }

    /** The function running the state machine's Lambda tasks. */
    public CapstanFunction tasks() {
        return tasks;
    }

    /** The function the dataset upload rule invokes. */
    public CapstanFunction uploadTrigger() {
        return uploadTrigger;
    }

    public Rule uploadRule() {
        return uploadRule;
    }

    public Role sageMakerRole() {
        return sageMakerRole;
    }

    public BatchTraining batch() {
        return batch;
    }

    public DockerImageAsset trainerImage() {
        return trainerImage;
    }

    public ITopic notificationTopic() {
        return notifications.topic();
    }

    public StackKey key() {
        return key;
    }

    private CapstanFunction createTasksFunction(PipelineStackProps props) {
        StorageResources storage = props.storage();
        CapstanFunction created = new CapstanFunction(this, "Tasks", CapstanFunctionProps.builder()
                .description("Capstan retraining tasks: validate, evaluate, register, gate, approve, promote, reject")
                .handler(TASKS_HANDLER)
                .code(props.code().assetOf(MODULE))
                .memoryMib(TASKS_MEMORY_MIB)
                .timeout(TASKS_TIMEOUT)
                .environment(storage.tableDefinition().tableNameEnvVar(), storage.table().getTableName())
                .environment(BucketDefinition.ARTIFACTS.nameEnvVar(),
                        storage.bucket(BucketDefinition.ARTIFACTS).getBucketName())
                .environment(BucketDefinition.DATASETS.nameEnvVar(),
                        storage.bucket(BucketDefinition.DATASETS).getBucketName())
                .environment(RetrainStateMachine.TRAINER_IMAGE_ENV, trainerImage.getImageUri())
                .environment(RetrainStateMachine.NOTIFICATION_TOPIC_ENV, notifications.topic().getTopicArn())
                .environment(RetrainStateMachine.BATCH_MAX_GPUS_ENV, Integer.toString(props.batch().maxGpusPerJob()))
                .build());
        // runs, registered versions, approvals; reads datasets; writes splits, models and registry copies (never
        // deletes) in the artifact bucket
        StorageGrants.grant(StorageAccess.of(TableAccess.READ_WRITE,
                whole(BucketDefinition.DATASETS, BucketAccess.READ),
                whole(BucketDefinition.ARTIFACTS, BucketAccess.READ),
                whole(BucketDefinition.ARTIFACTS, BucketAccess.WRITE)), created.role(), storage);
        // the approval task announces each approval request on the notification topic
        notifications.topic().grantPublish(created.role());
        // a SageMaker tuning job's training jobs become the execution run's trials (tuning.engine: sagemaker)
        created.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadTuningJobsTrainingJobs")
                .actions(List.of("sagemaker:ListTrainingJobsForHyperParameterTuningJob"))
                .resources(List.of(RetrainingStateMachine.tuningJobs(Stack.of(this))))
                .build());
        NagFindings.suppress(created.role(), NagFindings.IAM5, "Publishing to the KMS-encrypted notification topic "
                + "needs kms:GenerateDataKey* (a family of data-key actions that CDK's grantPublish names with a "
                + "wildcard) on the stack's own key only. Tuning jobs are named per execution, so listing their "
                + "training jobs covers this account's and region's hyper-parameter-tuning-job/*.",
                List.of(NagFindings.action("kms:GenerateDataKey*"), NagFindings.resourceMatching(
                        "arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:"
                                + "hyper-parameter-tuning-job/\\*")));
        return created;
    }

    private Role createSageMakerRole(StorageAccess trainingData, StorageResources storage) {
        Role role = Role.Builder.create(this, "SageMakerTrainingRole")
                .assumedBy(new ServicePrincipal("sagemaker.amazonaws.com"))
                .description("Capstan training jobs on SageMaker: the training prefix of the artifact bucket, the "
                        + "trainer image, the jobs' logs and metrics")
                .build();
        StorageGrants.grant(trainingData, role, storage);
        trainerImage.getRepository().grantPull(role);
        String logGroups = formatArn(ArnComponents.builder().service("logs").resource("log-group")
                .resourceName("/aws/sagemaker/TrainingJobs*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("TrainingJobLogs")
                .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                        "logs:DescribeLogStreams"))
                .resources(List.of(logGroups))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("TrainingJobMetrics")
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "/aws/sagemaker/TrainingJobs")))
                .build());
        NagFindings.suppress(role, NagFindings.IAM5, "SageMaker writes each training job's logs to log streams it "
                + "names in /aws/sagemaker/TrainingJobs; cloudwatch:PutMetricData and ecr:GetAuthorizationToken "
                + "support no resource-level permissions (the metrics are held to the SageMaker training namespace "
                + "by condition, the image pull to the trainer's repository).", List.of(
                NagFindings.resource("*"),
                NagFindings.resourceMatching("arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
                        + "\\/aws\\/sagemaker\\/TrainingJobs\\*")));
        return role;
    }

    private CapstanFunction createUploadTrigger(PipelineStackProps props) {
        StorageResources storage = props.storage();
        CapstanFunction created = new CapstanFunction(this, "UploadTrigger", CapstanFunctionProps.builder()
                .description("Capstan dataset upload trigger: starts retraining once per uploaded object version")
                .handler(UPLOAD_TRIGGER_HANDLER)
                .code(props.code().assetOf(MODULE))
                .environment(storage.tableDefinition().tableNameEnvVar(), storage.table().getTableName())
                .environment(RetrainStateMachine.STATE_MACHINE_ARN_ENV, retraining.stateMachine().getStateMachineArn())
                .build());
        // claims each uploaded object version in the table before starting its execution, then reads it back
        StorageGrants.grant(StorageAccess.of(TableAccess.READ_WRITE), created.role(), storage);
        RetrainingAccess.START_AND_DESCRIBE.grant(created.role(), retraining.stateMachine());
        return created;
    }

    private Rule createUploadRule(StorageResources storage) {
        return Rule.Builder.create(this, "DatasetUploadRule")
                .description("A CSV dataset uploaded under datasets/<model>/ in the dataset bucket starts retraining")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.s3"))
                        .detailType(List.of("Object Created"))
                        .detail(Map.of(
                                "bucket", Map.of("name", List.of(
                                        storage.bucket(BucketDefinition.DATASETS).getBucketName())),
                                "object", Map.of("key", DATASET_KEY_WILDCARDS.stream()
                                        .map(pattern -> Map.of("wildcard", pattern)).toList())))
                        .build())
                .targets(List.of(new LambdaFunction(uploadTrigger.alias(), LambdaFunctionProps.builder()
                        .retryAttempts(8)
                        .maxEventAge(Duration.hours(6))
                        .build())))
                .build();
    }

    private void output(String id, String description, String value) {
        CfnOutput.Builder.create(this, id).description(description).value(value).build();
    }
}
