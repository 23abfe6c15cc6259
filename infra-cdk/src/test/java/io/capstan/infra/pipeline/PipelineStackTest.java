package io.capstan.infra.pipeline;

import static io.capstan.infra.testutils.Templates.actions;
import static io.capstan.infra.testutils.Templates.allStatements;
import static io.capstan.infra.testutils.Templates.getAtt;
import static io.capstan.infra.testutils.Templates.logicalId;
import static io.capstan.infra.testutils.Templates.properties;
import static io.capstan.infra.testutils.Templates.propertiesOf;
import static io.capstan.infra.testutils.Templates.ref;
import static io.capstan.infra.testutils.Templates.resources;
import static io.capstan.infra.testutils.Templates.statementsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.infra.CapstanApp;
import io.capstan.infra.storage.StorageStack;
import io.capstan.infra.testutils.SharedApp;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.TableDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

class PipelineStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The ASL file, read as the local runner reads it: from the repository, not through CDK. */
    private static final Path ASL_FILE = Path.of("..").resolve(RetrainStateMachine.DEFINITION);

    private static StorageStack storage;
    private static PipelineStack stack;
    private static Template template;
    private static Map<String, Object> stateMachine;

    @BeforeAll
    static void synthesize() {
        CapstanApp.Stacks stacks = SharedApp.stacks();
        storage = stacks.storage();
        stack = stacks.pipeline();
        template = SharedApp.template(stack);
        stateMachine = propertiesOf(template, "AWS::StepFunctions::StateMachine", stack.retraining().stateMachine());
    }

    @Test
    void stateMachine_definitionString_isTheAslFileAsWritten() throws Exception {
        JsonNode deployed = JSON.readTree((String) stateMachine.get("DefinitionString"));

        assertThat(deployed).isEqualTo(JSON.readTree(Files.readString(ASL_FILE)));
        template.resourcePropertiesCountIs("AWS::StepFunctions::StateMachine",
                Map.of("DefinitionS3Location", Match.anyValue()), 0);
    }

    @Test
    void stateMachine_substitutions_areExactlyTheVariablesOfTheDefinition() throws Exception {
        assertThat(substitutions()).containsOnlyKeys(RetrainStateMachine.SUBSTITUTIONS);
        assertThat(variablesOf(Files.readString(ASL_FILE)))
                .containsExactlyInAnyOrderElementsOf(RetrainStateMachine.SUBSTITUTIONS);
    }

    @Test
    void stateMachine_definitionWithSubstitutionsResolved_namesTheDeployedResourcesInEachState() throws Exception {
        JsonNode resolved = JSON.readTree(resolve((String) stateMachine.get("DefinitionString")));
        JsonNode fileResolved = JSON.readTree(resolve(Files.readString(ASL_FILE)));

        assertThat(resolved).isEqualTo(fileResolved);
        assertThat(resolved.toString()).doesNotContain("${");
        for (String state : List.of("Validate", "Evaluate", "Register", "Gate", "AwaitApproval", "Promote", "Reject",
                "RecordFailure")) {
            assertThat(resolved.at("/States/" + state + "/Parameters/FunctionName").asText())
                    .as(state).isEqualTo(marker(ref(stack.tasks().alias())));
        }
        assertThat(resolved.at("/States/TrainOnSageMaker/Parameters/RoleArn").asText())
                .isEqualTo(marker(getAtt(stack.sageMakerRole(), "Arn")));
        assertThat(resolved.at("/States/UseBatchGpuQueue/Result").asText())
                .isEqualTo(marker(getAtt(stack.batch().jobQueue(), "JobQueueArn")));
        assertThat(resolved.at("/States/UseBatchCpuQueue/Result").asText())
                .isEqualTo(marker(getAtt(stack.batch().cpuJobQueue(), "JobQueueArn")));
        assertThat(resolved.at("/States/TrainOnBatch/Parameters/JobQueue.$").asText()).isEqualTo("$.batch_queue");
        assertThat(resolved.at("/States/TrainOnBatch/Parameters/JobDefinition").asText())
                .isEqualTo(marker(ref(stack.batch().jobDefinition())));
        for (String state : List.of("NotifyOutcome", "NotifyFailure")) {
            assertThat(resolved.at("/States/" + state + "/Parameters/TopicArn").asText())
                    .isEqualTo(marker(ref(stack.notificationTopic())));
        }
    }

    @Test
    void stateMachine_logsEverythingToAnEncryptedLogGroupAndTraces() {
        assertThat(stateMachine).containsEntry("StateMachineType", "STANDARD")
                .containsEntry("TracingConfiguration", Map.of("Enabled", true));
        @SuppressWarnings("unchecked")
        Map<String, Object> logging = (Map<String, Object>) stateMachine.get("LoggingConfiguration");
        assertThat(logging).containsEntry("Level", "ALL").containsEntry("IncludeExecutionData", true);
        String logGroup = String.valueOf(logging.get("Destinations"));
        template.findResources("AWS::Logs::LogGroup").forEach((id, group) -> {
            if (logGroup.contains(id)) {
                assertThat(properties(group)).containsEntry("KmsKeyId", getAtt(stack.key().key(), "Arn"));
            }
        });
        assertThat(template.findResources("AWS::Logs::LogGroup").keySet()).anyMatch(logGroup::contains);
    }

    @Test
    void stateMachineRole_mayDoWhatTheStatesDoAndNothingElse() {
        List<Map<String, Object>> statements = statementsOf(template, stack.retraining().stateMachine().getRole());

        Set<String> allowed = new TreeSet<>();
        statements.forEach(s -> allowed.addAll(actions(s)));
        assertThat(allowed).containsExactlyInAnyOrder(
                "lambda:InvokeFunction",
                "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob",
                "sagemaker:ListTags", "sagemaker:CreateHyperParameterTuningJob",
                "sagemaker:DescribeHyperParameterTuningJob", "sagemaker:StopHyperParameterTuningJob",
                "iam:PassRole",
                "batch:SubmitJob", "batch:DescribeJobs", "batch:TerminateJob",
                "events:PutTargets", "events:PutRule", "events:DescribeRule",
                "sns:Publish", "kms:Decrypt", "kms:GenerateDataKey*",
                "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
                "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                "xray:GetSamplingTargets");
        assertThat(statements).allSatisfy(s -> assertThat(s).containsEntry("Effect", "Allow"));

        assertThat(only(statements, "lambda:InvokeFunction")).containsEntry("Resource", ref(stack.tasks().alias()));
        assertThat(only(statements, "iam:PassRole"))
                .containsEntry("Resource", getAtt(stack.sageMakerRole(), "Arn"))
                .containsEntry("Condition", Map.of("StringEquals",
                        Map.of("iam:PassedToService", "sagemaker.amazonaws.com")));
        assertThat(resources(only(statements, "batch:SubmitJob"))).containsExactlyInAnyOrder(
                getAtt(stack.batch().jobQueue(), "JobQueueArn"), getAtt(stack.batch().cpuJobQueue(), "JobQueueArn"),
                ref(stack.batch().jobDefinition()));
        assertThat(only(statements, "sagemaker:CreateTrainingJob").get("Resource").toString())
                .endsWith(":training-job/*]]}");
        assertThat(resources(only(statements, "events:PutRule"))).extracting(String::valueOf)
                .hasSize(3)
                .anyMatch(r -> r.endsWith(":rule/" + RetrainingStateMachine.SAGEMAKER_SYNC_RULE + "]]}"))
                .anyMatch(r -> r.endsWith(":rule/" + RetrainingStateMachine.SAGEMAKER_TUNING_SYNC_RULE + "]]}"))
                .anyMatch(r -> r.endsWith(":rule/" + RetrainingStateMachine.BATCH_SYNC_RULE + "]]}"));
        assertThat(only(statements, "sns:Publish")).containsEntry("Resource", ref(stack.notificationTopic()));
        assertThat(only(statements, "kms:Decrypt")).containsEntry("Resource", getAtt(stack.key().key(), "Arn"));
    }

    @Test
    void stateMachineRole_wildcardResources_onlyForActionsWithoutResourceLevelPermissions() {
        List<Map<String, Object>> statements = statementsOf(template, stack.retraining().stateMachine().getRole());

        assertThat(statements).filteredOn(s -> resources(s).contains("*"))
                .flatExtracting(s -> actions(s))
                .allMatch(action -> action.startsWith("logs:") || action.startsWith("xray:")
                        || action.equals("batch:DescribeJobs") || action.equals("batch:TerminateJob"));
    }

    @Test
    void tasksFunction_runsThePipelineTasksWithTheTableBucketsAndTrainerImage() {
        Map<String, Object> function = propertiesOf(template, "AWS::Lambda::Function", stack.tasks().function());

        assertThat(function).containsEntry("Handler", PipelineStack.TASKS_HANDLER)
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("MemorySize", PipelineStack.TASKS_MEMORY_MIB);
        Map<String, Object> variables = variables(function);
        assertThat(variables).containsOnlyKeys(TableDefinition.METADATA.tableNameEnvVar(),
                BucketDefinition.ARTIFACTS.nameEnvVar(), BucketDefinition.DATASETS.nameEnvVar(),
                RetrainStateMachine.TRAINER_IMAGE_ENV, RetrainStateMachine.NOTIFICATION_TOPIC_ENV,
                RetrainStateMachine.BATCH_MAX_GPUS_ENV);
        assertThat(variables.get(RetrainStateMachine.TRAINER_IMAGE_ENV)).asString()
                .contains("cdk-hnb659fds-container-assets").contains(stack.trainerImage().getAssetHash());
    }

    @Test
    void tasksFunction_announcesApprovalRequestsOnTheEncryptedNotificationTopic() {
        Map<String, Object> function = propertiesOf(template, "AWS::Lambda::Function", stack.tasks().function());
        List<Map<String, Object>> statements = statementsOf(template, stack.tasks().role());

        assertThat(variables(function)).containsEntry(RetrainStateMachine.NOTIFICATION_TOPIC_ENV,
                ref(stack.notificationTopic()));
        assertThat(only(statements, "sns:Publish")).containsEntry("Resource", ref(stack.notificationTopic()));
        assertThat(only(statements, "kms:GenerateDataKey*")).containsEntry("Resource", getAtt(stack.key().key(), "Arn"));
        // the approval state's promise: the task it invokes is the one that publishes
        assertThat(stateMachine.get("DefinitionString").toString())
                .contains("\"task\": \"await_approval\"");
    }

    @Test
    void tasksFunction_batchMaxGpus_isWhatTheLargestGpuInstanceWithinTheVcpuLimitHolds() {
        Map<String, Object> function = propertiesOf(template, "AWS::Lambda::Function", stack.tasks().function());

        // 16 vCPUs (the default): a 4xlarge at most, one GPU
        assertThat(variables(function)).containsEntry(RetrainStateMachine.BATCH_MAX_GPUS_ENV, "1");
        assertThat(new BatchSettings(BatchSettings.DEFAULT_MAX_VCPUS, false).maxGpusPerJob()).isEqualTo(1);
    }

    @Test
    void tasksPolicy_readsDatasetsReadsAndWritesArtifactsNeverDeletes() {
        List<Map<String, Object>> statements = statementsOf(template, stack.tasks().role());

        assertThat(statements).flatExtracting(s -> actions(s))
                .contains("dynamodb:PutItem", "dynamodb:Query", "s3:GetObject*", "s3:PutObject")
                .noneMatch(action -> action.startsWith("s3:DeleteObject") || action.startsWith("states:"));
        assertThat(statements).filteredOn(s -> actions(s).contains("s3:PutObject"))
                .singleElement().satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS))).contains(", /*]"));
        assertThat(statements).filteredOn(s -> s.toString().contains(logicalId(storage.bucket(BucketDefinition.DATASETS))))
                .singleElement().satisfies(s -> assertThat(actions(s))
                        .containsExactlyInAnyOrder("s3:GetObject*", "s3:GetBucket*", "s3:List*"));
        assertThat(statements.toString()).doesNotContain(logicalId(storage.bucket(BucketDefinition.CAPTURE)));
    }

    @Test
    void uploadTrigger_startsAndDescribesExecutionsOnlyAndClaimsUploadsInTheTable() {
        Map<String, Object> function = propertiesOf(template, "AWS::Lambda::Function", stack.uploadTrigger().function());
        List<Map<String, Object>> statements = statementsOf(template, stack.uploadTrigger().role());

        assertThat(function).containsEntry("Handler", PipelineStack.UPLOAD_TRIGGER_HANDLER);
        assertThat(variables(function)).containsOnlyKeys(TableDefinition.METADATA.tableNameEnvVar(),
                RetrainStateMachine.STATE_MACHINE_ARN_ENV)
                .containsEntry(RetrainStateMachine.STATE_MACHINE_ARN_ENV, ref(stack.retraining().stateMachine()));
        assertThat(statements).flatExtracting(s -> actions(s)).filteredOn(a -> a.startsWith("states:"))
                .containsExactlyInAnyOrder("states:StartExecution", "states:DescribeExecution");
        assertThat(only(statements, "states:StartExecution"))
                .containsEntry("Resource", ref(stack.retraining().stateMachine()));
        assertThat(only(statements, "states:DescribeExecution").get("Resource").toString()).contains(":execution:");
        assertThat(statements).flatExtracting(s -> actions(s)).noneMatch(a -> a.startsWith("s3:"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void uploadRule_csvObjectsCreatedUnderDatasetsInTheDatasetBucket_invokeTheTriggerAlias() {
        Map<String, Object> rule = propertiesOf(template, "AWS::Events::Rule", stack.uploadRule());
        Map<String, Object> pattern = (Map<String, Object>) rule.get("EventPattern");
        Map<String, Object> detail = (Map<String, Object>) pattern.get("detail");

        assertThat(pattern).containsOnlyKeys("source", "detail-type", "detail")
                .containsEntry("source", List.of("aws.s3"))
                .containsEntry("detail-type", List.of("Object Created"));
        assertThat(detail).containsOnlyKeys("bucket", "object")
                .containsEntry("object", Map.of("key", List.of(
                        Map.of("wildcard", "datasets/*.csv"), Map.of("wildcard", "datasets/*.CSV"))));
        assertThat((List<Object>) ((Map<String, Object>) detail.get("bucket")).get("name")).singleElement()
                .asString().contains("ImportValue").contains(logicalId(storage.bucket(BucketDefinition.DATASETS)));
        assertThat((List<Map<String, Object>>) rule.get("Targets")).singleElement()
                .satisfies(target -> assertThat(target).containsEntry("Arn", ref(stack.uploadTrigger().alias())));
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", ref(stack.uploadTrigger().alias()),
                "Principal", "events.amazonaws.com",
                "SourceArn", getAtt(stack.uploadRule(), "Arn")));
    }

    @Test
    void sageMakerRole_readsAndWritesTheTrainingPrefixPullsTheImageAndLogs() {
        List<Map<String, Object>> statements = statementsOf(template, stack.sageMakerRole());

        assertThat(propertiesOf(template, "AWS::IAM::Role", stack.sageMakerRole()))
                .doesNotContainKey("ManagedPolicyArns")
                .extracting(p -> p.get("AssumeRolePolicyDocument").toString()).asString()
                .contains("sagemaker.amazonaws.com");
        assertThat(statements).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:")))
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS)))
                        .contains("/" + KeyPrefixes.PIPELINE + "*")
                        .doesNotContain("\"/*\""));
        assertThat(statements).flatExtracting(s -> actions(s))
                .contains("s3:GetObject*", "s3:PutObject", "ecr:BatchGetImage", "ecr:GetAuthorizationToken",
                        "logs:PutLogEvents", "cloudwatch:PutMetricData")
                .noneMatch(a -> a.startsWith("s3:DeleteObject") || a.startsWith("dynamodb:"));
        assertThat(only(statements, "cloudwatch:PutMetricData")).containsEntry("Condition",
                Map.of("StringEquals", Map.of("cloudwatch:namespace", "/aws/sagemaker/TrainingJobs")));
        assertThat(statements.toString()).doesNotContain(logicalId(storage.bucket(BucketDefinition.DATASETS)));
    }

    @Test
    void batch_gpuComputeEnvironmentScalesToZeroInPublicSubnetsOnTheGpuAmi() {
        Map<String, Object> environment = propertiesOf(template, "AWS::Batch::ComputeEnvironment",
                stack.batch().computeEnvironment());
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) environment.get("ComputeResources");

        assertThat(environment).containsEntry("Type", "managed");
        assertThat(resources).containsEntry("Type", "EC2")
                .containsEntry("MinvCpus", 0)
                .containsEntry("MaxvCpus", BatchSettings.DEFAULT_MAX_VCPUS)
                .containsEntry("InstanceTypes", List.of("g4dn", "g5"))
                .containsEntry("Ec2Configuration", List.of(Map.of("ImageType", "ECS_AL2023_NVIDIA")));
        assertThat(resources.get("Subnets").toString()).contains("publicSubnet1", "publicSubnet2");
        template.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "MetadataOptions", Map.of("HttpTokens", "required"),
                "BlockDeviceMappings", List.of(Match.objectLike(Map.of(
                        "Ebs", Match.objectLike(Map.of("Encrypted", true)))))))));
    }

    @Test
    void batch_cpuComputeEnvironmentScalesToZeroOnGeneralPurposeInstancesWithTheEcsAmi() {
        Map<String, Object> environment = propertiesOf(template, "AWS::Batch::ComputeEnvironment",
                stack.batch().cpuComputeEnvironment());
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) environment.get("ComputeResources");

        assertThat(resources).containsEntry("Type", "EC2")
                .containsEntry("MinvCpus", 0)
                .containsEntry("MaxvCpus", BatchSettings.DEFAULT_MAX_VCPUS)
                .containsEntry("InstanceTypes", List.of("m6i", "m5"))
                .containsEntry("Ec2Configuration", List.of(Map.of("ImageType", "ECS_AL2023")));
        assertThat(template.findResources("AWS::Batch::ComputeEnvironment")).hasSize(2);
    }

    @Test
    void batch_eachQueueOnItsComputeEnvironment_cancelsJobsStuckRunnable() {
        assertQueueCancelsStuckJobs(stack.batch().jobQueue(), stack.batch().computeEnvironment());
        assertQueueCancelsStuckJobs(stack.batch().cpuJobQueue(), stack.batch().cpuComputeEnvironment());
        template.resourceCountIs("AWS::Batch::JobQueue", 2);
    }

    @SuppressWarnings("unchecked")
    private static void assertQueueCancelsStuckJobs(IConstruct queue, IConstruct computeEnvironment) {
        Map<String, Object> properties = propertiesOf(template, "AWS::Batch::JobQueue", queue);

        assertThat(properties.get("ComputeEnvironmentOrder")).isEqualTo(List.of(Map.of(
                "ComputeEnvironment", getAtt(computeEnvironment, "ComputeEnvironmentArn"), "Order", 1)));
        assertThat((List<Object>) properties.get("JobStateTimeLimitActions")).containsExactlyInAnyOrder(
                Map.of("Action", "CANCEL", "State", "RUNNABLE", "MaxTimeSeconds",
                        RetrainStateMachine.BATCH_CAPACITY_WAIT_SECONDS,
                        "Reason", "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"),
                Map.of("Action", "CANCEL", "State", "RUNNABLE", "MaxTimeSeconds", 600,
                        "Reason", "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE"),
                Map.of("Action", "CANCEL", "State", "RUNNABLE", "MaxTimeSeconds", 600,
                        "Reason", "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void batch_jobDefinition_trainerImageNoGpuOfItsOwnRetriesOnlyAReclaimedHost() {
        Map<String, Object> definition = propertiesOf(template, "AWS::Batch::JobDefinition", stack.batch().jobDefinition());
        Map<String, Object> container = (Map<String, Object>) definition.get("ContainerProperties");

        assertThat(definition).containsEntry("PlatformCapabilities", List.of("EC2"))
                .containsEntry("Timeout", Map.of("AttemptDurationSeconds", 24 * 3600))
                .containsEntry("RetryStrategy", Map.of("Attempts", RetrainStateMachine.BATCH_ATTEMPTS,
                        "EvaluateOnExit", List.of(
                                Map.of("Action", "RETRY", "OnStatusReason", "Host EC2*"),
                                Map.of("Action", "EXIT", "OnReason", "*"))));
        // a job asks for its GPUs in its overrides (the GPU queue's jobs), so CPU jobs ask for none
        assertThat((List<Object>) container.get("ResourceRequirements")).containsExactlyInAnyOrder(
                Map.of("Type", "VCPU", "Value", "4"), Map.of("Type", "MEMORY", "Value", "14336"));
        assertThat(container.get("Image").toString()).contains(stack.trainerImage().getAssetHash());
        assertThat(container).containsEntry("JobRoleArn", getAtt(stack.batch().jobRole(), "Arn"));
        assertThat(statementsOf(template, stack.batch().jobRole())).allSatisfy(s -> assertThat(s.get("Resource")
                .toString()).contains("/" + KeyPrefixes.PIPELINE + "*"));
    }

    @Test
    void stateMachine_trainingStates_waitAsLongAsThePlanAllowsAndBatchAttemptsRunTheRequestedRuntime()
            throws Exception {
        JsonNode states = JSON.readTree((String) stateMachine.get("DefinitionString")).path("States");

        for (String state : List.of("TrainOnSageMaker", "TrainOnBatch")) {
            assertThat(states.at("/" + state + "/TimeoutSecondsPath").asText()).as(state)
                    .isEqualTo("$.training.task_timeout_seconds");
        }
        assertThat(states.at("/TrainOnBatch/Parameters/Timeout/AttemptDurationSeconds.$").asText())
                .isEqualTo("$.training.batch_attempt_seconds");
        assertThat(states.at("/TrainOnSageMaker/Parameters/StoppingCondition/MaxRuntimeInSeconds.$").asText())
                .isEqualTo("$.training.max_runtime_seconds");
    }

    @Test
    void stateMachine_runsSageMakerTuningJobs_andTheTasksListTheirTrainingJobsOnly() {
        List<Map<String, Object>> machine = statementsOf(template, stack.retraining().stateMachine().getRole());
        assertThat(machine).filteredOn(s -> actions(s).contains("sagemaker:CreateHyperParameterTuningJob"))
                .singleElement().satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains(":hyper-parameter-tuning-job/*"));
        assertThat(machine.toString()).contains(RetrainingStateMachine.SAGEMAKER_TUNING_SYNC_RULE);
        List<Map<String, Object>> tasks = statementsOf(template, stack.tasks().role());
        assertThat(tasks).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("sagemaker:")))
                .singleElement().satisfies(s -> {
                    assertThat(actions(s)).containsExactly("sagemaker:ListTrainingJobsForHyperParameterTuningJob");
                    assertThat(s.get("Resource").toString()).contains(":hyper-parameter-tuning-job/*");
                });
    }

    @Test
    void stateMachine_batchJobsAskingForNoGpu_goToTheCpuQueue() throws Exception {
        JsonNode choice = JSON.readTree((String) stateMachine.get("DefinitionString"))
                .at("/States/ChooseTrainingPlatform");

        assertThat(choice.at("/Choices/0/Next").asText()).isEqualTo("UseBatchGpuQueue");
        assertThat(choice.at("/Choices/0/And").toString()).contains("\"Variable\":\"$.training.gpu_count\","
                + "\"NumericGreaterThan\":0");
        assertThat(choice.at("/Choices/1/Next").asText()).isEqualTo("UseBatchCpuQueue");
        assertThat(choice.at("/Default").asText()).isEqualTo("ChooseSearch");
        JsonNode search = JSON.readTree((String) stateMachine.get("DefinitionString")).at("/States/ChooseSearch");
        assertThat(search.at("/Choices/2/Next").asText()).isEqualTo("TrainOnBatch");
        assertThat(search.at("/Default").asText()).isEqualTo("TrainOnSageMaker");
    }

    @Test
    void vpc_publicSubnetsOnlyNoNatGatewayWithFlowLogsToAnEncryptedLogGroup() {
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
        assertThat(template.findResources("AWS::EC2::Subnet").values()).hasSize(2)
                .allSatisfy(subnet -> assertThat(properties(subnet)).containsEntry("MapPublicIpOnLaunch", true));
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of(
                "ResourceId", ref(stack.batch().vpc()),
                "TrafficType", "ALL",
                "LogDestinationType", "cloud-watch-logs"));
    }

    @Test
    void logGroups_ofThePipelineAndBatch_areEncryptedWithTheStackKey() {
        Map<String, Map<String, Object>> groups = template.findResources("AWS::Logs::LogGroup");
        List<String> encrypted = new ArrayList<>();
        groups.forEach((id, group) -> {
            if (getAtt(stack.key().key(), "Arn").equals(properties(group).get("KmsKeyId"))) {
                encrypted.add(id);
            }
        });

        // the three state machines', the flow logs' and the Batch job's; function log groups stay as the API stack's
        assertThat(encrypted).hasSize(5);
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void notificationTopic_isEncryptedAndRefusesRequestsWithoutTls() {
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", getAtt(stack.key().key(), "Arn")));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(ref(stack.notificationTopic())),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void policies_noActionWildcardOfAWholeService() {
        assertThat(allStatements(template)).flatExtracting(s -> actions(s))
                .noneMatch(action -> action.equals("*") || action.endsWith(":*"));
    }

    @Test
    void outputs_stateMachineTopicImageQueueAndRole() {
        template.hasOutput("StateMachineArn", Map.of("Value", ref(stack.retraining().stateMachine())));
        template.hasOutput("NotificationTopicArn", Map.of("Value", ref(stack.notificationTopic())));
        template.hasOutput("BatchJobQueueArn", Map.of("Value", getAtt(stack.batch().jobQueue(), "JobQueueArn")));
        template.hasOutput("BatchCpuJobQueueArn", Map.of("Value",
                getAtt(stack.batch().cpuJobQueue(), "JobQueueArn")));
        template.hasOutput("SageMakerRoleArn", Map.of("Value", getAtt(stack.sageMakerRole(), "Arn")));
        template.hasOutput("TrainerImageUri", Match.anyValue());
    }

    private static Map<String, Object> only(List<Map<String, Object>> statements, String action) {
        List<Map<String, Object>> found = statements.stream().filter(s -> actions(s).contains(action)).toList();
        assertThat(found).as("statements allowing %s", action).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> substitutions() {
        return (Map<String, Object>) stateMachine.get("DefinitionSubstitutions");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> function) {
        return (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
    }

    /** {@code definition} with each {@code ${Variable}} replaced as CloudFormation will, by a marker of its value. */
    private static String resolve(String definition) {
        Map<String, Object> values = substitutions();
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(definition);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Object value = values.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : marker(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A string standing for a substituted value: its CloudFormation expression, without JSON quotes. */
    private static String marker(Object value) {
        return "resolved " + value.toString().replace("\"", "");
    }

    private static Set<String> variablesOf(String definition) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(definition);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
