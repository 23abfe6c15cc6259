package io.capstan.infra.pipeline;

import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.nag.NagFindings;
import io.capstan.infra.storage.StorageAccess;
import io.capstan.infra.storage.StorageGrants;
import io.capstan.infra.storage.StorageResources;
import io.capstan.pipeline.RetrainStateMachine;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.batch.Action;
import software.amazon.awscdk.services.batch.AllocationStrategy;
import software.amazon.awscdk.services.batch.CustomReason;
import software.amazon.awscdk.services.batch.EcsEc2ContainerDefinition;
import software.amazon.awscdk.services.batch.EcsJobDefinition;
import software.amazon.awscdk.services.batch.EcsMachineImage;
import software.amazon.awscdk.services.batch.EcsMachineImageType;
import software.amazon.awscdk.services.batch.JobQueue;
import software.amazon.awscdk.services.batch.JobStateTimeLimitAction;
import software.amazon.awscdk.services.batch.JobStateTimeLimitActionsAction;
import software.amazon.awscdk.services.batch.JobStateTimeLimitActionsReason;
import software.amazon.awscdk.services.batch.JobStateTimeLimitActionsState;
import software.amazon.awscdk.services.batch.ManagedEc2EcsComputeEnvironment;
import software.amazon.awscdk.services.batch.OrderedComputeEnvironment;
import software.amazon.awscdk.services.batch.Reason;
import software.amazon.awscdk.services.batch.RetryStrategy;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Training on AWS Batch: a VPC with public subnets only (no NAT gateway to pay for; instances reach ECR and S3 over
 * their public addresses, nothing can reach them: their security group admits no inbound traffic), with flow logs; two
 * managed EC2 compute environments that scale between zero and {@link BatchSettings#maxvCpus()} vCPUs, one of GPU
 * instances (g4dn, g5) on the ECS GPU AMI and one of general-purpose instances (m6i, m5) on the ECS AMI; a job queue
 * on each, which cancels a job left waiting for capacity it cannot get; and the trainer's job definition (the trainer
 * image, no GPU: a job asks for its GPUs in its overrides, so one definition serves both queues; a role that reads
 * and writes the training prefix of the artifact bucket only; logs in an encrypted log group; an attempt whose host
 * went away, e.g. a reclaimed Spot instance, is retried).
 */
public final class BatchTraining extends Construct {

    /** vCPUs and memory of one training job: what a g4dn.xlarge or g5.xlarge (4 vCPUs, 16 GiB) leaves for a job. */
    public static final int JOB_VCPUS = 4;
    public static final int JOB_MEMORY_GIB = 14;
    /**
     * The longest one training attempt may run before Batch stops it, unless the job names its own attempt duration
     * (the state machine passes the request's {@code training.max_runtime_seconds}).
     */
    public static final Duration JOB_TIMEOUT = Duration.hours(24);
    /**
     * How long a job may wait RUNNABLE for instances AWS lacks (or the account's quota forbids) before its queue
     * cancels it: the state machine then records the failure instead of waiting for ever.
     */
    public static final Duration CAPACITY_WAIT = Duration.seconds(RetrainStateMachine.BATCH_CAPACITY_WAIT_SECONDS);
    /**
     * How long a job may wait RUNNABLE when no instance of its compute environment can ever run it (it asks for more
     * than the environment's vCPU limit or than any instance type holds): the shortest time AWS Batch accepts.
     */
    public static final Duration MISCONFIGURED_WAIT = Duration.minutes(10);
    /** Attempts of one job: an attempt whose host went away is retried, any other failure ends the job. */
    public static final int JOB_ATTEMPTS = RetrainStateMachine.BATCH_ATTEMPTS;
    /** Root volume of each instance: the ECS GPU AMI, Docker images and the staged training data. */
    public static final int ROOT_VOLUME_GIB = 50;
    /** GPU instance families the GPU compute environment may launch. */
    public static final List<InstanceClass> GPU_INSTANCE_CLASSES = List.of(InstanceClass.G4DN, InstanceClass.G5);
    /** Instance families the CPU compute environment may launch: a job (4 vCPUs, 14 GiB) fits from xlarge (16 GiB). */
    public static final List<InstanceClass> CPU_INSTANCE_CLASSES = List.of(InstanceClass.M6I, InstanceClass.M5);

    private final Vpc vpc;
    private final ManagedEc2EcsComputeEnvironment computeEnvironment;
    private final JobQueue jobQueue;
    private final ManagedEc2EcsComputeEnvironment cpuComputeEnvironment;
    private final JobQueue cpuJobQueue;
    private final EcsJobDefinition jobDefinition;
    private final Role jobRole;

    /**
     * @param image          the trainer image
     * @param trainingAccess what the job's role may do with storage (the training prefix)
     * @param storage        the buckets
     * @param key            the stack's key, for the job and flow log groups
     * @param settings       size and Spot
     */
    public record Props(DockerImageAsset image, StorageAccess trainingAccess,
                        StorageResources storage, StackKey key, BatchSettings settings) {
        public Props {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(trainingAccess, "trainingAccess");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(settings, "settings");
        }
    }

    public BatchTraining(Construct scope, String id, Props props) {
        super(scope, id);
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("public")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(24)
                        .build()))
                // Leaves the VPC's default security group as EC2 creates it: nothing is placed in it (Batch
                // instances get their own group), and restricting it would add a custom-resource Lambda function.
                .restrictDefaultSecurityGroup(false)
                .build();
        vpc.addFlowLog("FlowLogs", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(
                        props.key().encryptedLogGroup(this, "FlowLogGroup", RetentionDays.ONE_MONTH)))
                .trafficType(FlowLogTrafficType.ALL)
                .build());

        Role instanceRole = Role.Builder.create(this, "InstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Capstan Batch GPU instances: the ECS agent (register, pull images, ship logs)")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName(
                        "service-role/AmazonEC2ContainerServiceforEC2Role")))
                .build();
        NagFindings.suppress(instanceRole, "AwsSolutions-IAM4", "AmazonEC2ContainerServiceforEC2Role is the policy AWS "
                + "maintains for the ECS agent on container instances, which AWS Batch runs on them; it follows the "
                + "agent's needs as they change, which a copy here would not. The training code itself runs as the "
                + "job role, not as this role.", List.of(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"));
        NagFindings.suppress(instanceRole, NagFindings.IAM5, "The ECS agent's managed policy acts on the cluster Batch "
                + "creates and names at run time.", List.of(NagFindings.resource("*")));

        LaunchTemplate launchTemplate = LaunchTemplate.Builder.create(this, "InstanceTemplate")
                .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
                .blockDevices(List.of(BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, EbsDeviceOptions.builder()
                                .encrypted(true)
                                .volumeType(EbsDeviceVolumeType.GP3)
                                .deleteOnTermination(true)
                                .build()))
                        .build()))
                .build();

        BatchSettings settings = props.settings();
        this.computeEnvironment = computeEnvironment("GpuComputeEnvironment", GPU_INSTANCE_CLASSES,
                EcsMachineImageType.ECS_AL2023_NVIDIA, settings, instanceRole, launchTemplate);
        this.jobQueue = jobQueue("JobQueue", computeEnvironment);
        this.cpuComputeEnvironment = computeEnvironment("CpuComputeEnvironment", CPU_INSTANCE_CLASSES,
                EcsMachineImageType.ECS_AL2023, settings, instanceRole, launchTemplate);
        this.cpuJobQueue = jobQueue("CpuJobQueue", cpuComputeEnvironment);

        this.jobRole = Role.Builder.create(this, "JobRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Capstan trainer on AWS Batch: stages its data and uploads its model itself")
                .build();
        StorageGrants.grant(props.trainingAccess(), jobRole, props.storage());
        EcsEc2ContainerDefinition container = EcsEc2ContainerDefinition.Builder.create(this, "TrainerContainer")
                .image(ContainerImage.fromDockerImageAsset(props.image()))
                .cpu(JOB_VCPUS)
                .memory(Size.gibibytes(JOB_MEMORY_GIB))
                .jobRole(jobRole)
                // the SDK's region chain finds no region in a Batch container on EC2 otherwise
                .environment(Map.of("AWS_REGION", Aws.REGION))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(props.key().encryptedLogGroup(this, "JobLogGroup", RetentionDays.ONE_MONTH))
                        .streamPrefix("trainer")
                        .build()))
                .build();
        // CDK's execution role pulls the image from the asset repository and ships the job's log to its group
        NagFindings.suppress(container.getExecutionRole(), NagFindings.IAM5, "ecr:GetAuthorizationToken supports no "
                + "resource-level permissions; the image pull itself is limited to the asset repository.",
                List.of(NagFindings.resource("*")));
        this.jobDefinition = EcsJobDefinition.Builder.create(this, "TrainerJobDefinition")
                .container(container)
                .timeout(JOB_TIMEOUT)
                // AWS Batch's documented Spot pattern: retry when the host went away ("Host EC2 (instance ...)
                // terminated."), exit on anything else (a failing trainer fails the same way again); with no matching
                // rule Batch would retry every failure
                .retryAttempts(JOB_ATTEMPTS)
                .retryStrategies(List.of(
                        RetryStrategy.of(Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED),
                        RetryStrategy.of(Action.EXIT, Reason.custom(CustomReason.builder().onReason("*").build()))))
                .build();
    }

    private ManagedEc2EcsComputeEnvironment computeEnvironment(String id, List<InstanceClass> instanceClasses,
                                                               EcsMachineImageType image, BatchSettings settings,
                                                               Role instanceRole, LaunchTemplate launchTemplate) {
        return ManagedEc2EcsComputeEnvironment.Builder.create(this, id)
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .minvCpus(0)
                .maxvCpus(settings.maxvCpus())
                .instanceClasses(instanceClasses)
                .useOptimalInstanceClasses(false)
                .images(List.of(EcsMachineImage.builder().imageType(image).build()))
                .spot(settings.spot())
                .allocationStrategy(settings.spot() ? AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
                        : AllocationStrategy.BEST_FIT_PROGRESSIVE)
                .instanceRole(instanceRole)
                .launchTemplate(launchTemplate)
                .build();
    }

    /**
     * A queue on {@code environment} that cancels a job stuck RUNNABLE: after {@link #CAPACITY_WAIT} while AWS lacks
     * the capacity, after {@link #MISCONFIGURED_WAIT} when no instance of the environment could ever run it (the
     * reasons AWS Batch documents for job state time limit actions).
     */
    private JobQueue jobQueue(String id, ManagedEc2EcsComputeEnvironment environment) {
        return JobQueue.Builder.create(this, id)
                .priority(1)
                .computeEnvironments(List.of(OrderedComputeEnvironment.builder()
                        .computeEnvironment(environment)
                        .order(1)
                        .build()))
                .jobStateTimeLimitActions(List.of(
                        cancelRunnable(JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY, CAPACITY_WAIT),
                        cancelRunnable(JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE,
                                MISCONFIGURED_WAIT),
                        cancelRunnable(JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT, MISCONFIGURED_WAIT)))
                .build();
    }

    private static JobStateTimeLimitAction cancelRunnable(JobStateTimeLimitActionsReason reason, Duration after) {
        return JobStateTimeLimitAction.builder()
                .state(JobStateTimeLimitActionsState.RUNNABLE)
                .reason(reason)
                .maxTime(after)
                .action(JobStateTimeLimitActionsAction.CANCEL)
                .build();
    }

    public Vpc vpc() {
        return vpc;
    }

    public ManagedEc2EcsComputeEnvironment computeEnvironment() {
        return computeEnvironment;
    }

    /** The queue of the GPU compute environment: jobs asking for at least one GPU. */
    public JobQueue jobQueue() {
        return jobQueue;
    }

    public ManagedEc2EcsComputeEnvironment cpuComputeEnvironment() {
        return cpuComputeEnvironment;
    }

    /** The queue of the CPU compute environment: jobs asking for no GPU. */
    public JobQueue cpuJobQueue() {
        return cpuJobQueue;
    }

    public EcsJobDefinition jobDefinition() {
        return jobDefinition;
    }

    /** The role the training container runs as. */
    public Role jobRole() {
        return jobRole;
    }
}
