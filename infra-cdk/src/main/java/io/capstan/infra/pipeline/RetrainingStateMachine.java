package io.capstan.infra.pipeline;

import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.nag.NagFindings;
import io.capstan.pipeline.RetrainStateMachine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.batch.IJobDefinition;
import software.amazon.awscdk.services.batch.IJobQueue;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The retraining state machine from {@code step-functions/retrain.asl.json}, inlined as written (so the file the
 * embedded platform runs is the file deployed), with the deployed ARNs in {@code DefinitionSubstitutions}. Every
 * execution is logged at level ALL, with its data, to an encrypted log group, and traced with X-Ray. The role may do
 * what the definition's states do and nothing else: invoke the tasks function; create, describe and stop SageMaker
 * training jobs, passing the SageMaker role to SageMaker only; submit the trainer's Batch job to its two queues; manage the
 * EventBridge rules through which the {@code .sync} integrations learn that a job ended; publish to the notification
 * topic.
 */
public final class RetrainingStateMachine extends Construct {

    /** A substitution variable in a definition: {@code ${Name}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    /** The rule Step Functions manages for {@code sagemaker:createTrainingJob.sync}. */
    public static final String SAGEMAKER_SYNC_RULE = "StepFunctionsGetEventsForSageMakerTrainingJobsRule";
    /** The rule Step Functions manages for {@code sagemaker:createHyperParameterTuningJob.sync}. */
    public static final String SAGEMAKER_TUNING_SYNC_RULE = "StepFunctionsGetEventsForSageMakerTuningJobsRule";
    /** The rule Step Functions manages for {@code batch:submitJob.sync}. */
    public static final String BATCH_SYNC_RULE = "StepFunctionsGetEventsForBatchJobsRule";
    /** How long execution logs are kept. */
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

    private final StateMachine stateMachine;
    private final Map<String, String> substitutions;

    /**
     * @param definition    the ASL text
     * @param tasks         the tasks function's alias
     * @param sageMakerRole the role SageMaker training jobs run as
     * @param jobQueue      the Batch job queue of GPU jobs
     * @param cpuJobQueue   the Batch job queue of jobs asking for no GPU
     * @param jobDefinition the trainer's Batch job definition
     * @param notifications the topic outcomes go to
     * @param key           the stack's key, for the log group
     */
    public record Props(String definition, IFunction tasks, IRole sageMakerRole, IJobQueue jobQueue,
                        IJobQueue cpuJobQueue, IJobDefinition jobDefinition, ITopic notifications, StackKey key) {
        public Props {
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(tasks, "tasks");
            Objects.requireNonNull(sageMakerRole, "sageMakerRole");
            Objects.requireNonNull(jobQueue, "jobQueue");
            Objects.requireNonNull(cpuJobQueue, "cpuJobQueue");
            Objects.requireNonNull(jobDefinition, "jobDefinition");
            Objects.requireNonNull(notifications, "notifications");
            Objects.requireNonNull(key, "key");
        }
    }

    public RetrainingStateMachine(Construct scope, String id, Props props) {
        super(scope, id);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(RetrainStateMachine.TASKS_FUNCTION, props.tasks().getFunctionArn());
        values.put(RetrainStateMachine.SAGEMAKER_ROLE, props.sageMakerRole().getRoleArn());
        values.put(RetrainStateMachine.BATCH_QUEUE, props.jobQueue().getJobQueueArn());
        values.put(RetrainStateMachine.BATCH_CPU_QUEUE, props.cpuJobQueue().getJobQueueArn());
        values.put(RetrainStateMachine.BATCH_JOB_DEFINITION, props.jobDefinition().getJobDefinitionArn());
        values.put(RetrainStateMachine.NOTIFICATION_TOPIC, props.notifications().getTopicArn());
        checkVariables(props.definition(), values.keySet());
        this.substitutions = Map.copyOf(values);

        this.stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .comment("Capstan retraining: validate, train on SageMaker or AWS Batch, evaluate, register, gate, "
                        + "promote or reject, notify")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(props.definition()))
                .definitionSubstitutions(values)
                .logs(LogOptions.builder()
                        .destination(props.key().encryptedLogGroup(this, "ExecutionLogs", LOG_RETENTION))
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .build();
        grantWhatTheStatesDo(props);
    }

    /** The state machine; grant starting and reading executions on it. */
    public StateMachine stateMachine() {
        return stateMachine;
    }

    /** The {@code DefinitionSubstitutions}: each variable of {@link RetrainStateMachine#SUBSTITUTIONS} and its value. */
    public Map<String, String> substitutions() {
        return substitutions;
    }

    /** The substitution variables {@code definition} uses, in name order. */
    public static Set<String> variablesOf(String definition) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(definition);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static void checkVariables(String definition, Set<String> provided) {
        Set<String> used = variablesOf(definition);
        if (!used.equals(new TreeSet<>(RetrainStateMachine.SUBSTITUTIONS))
                || !provided.equals(Set.copyOf(RetrainStateMachine.SUBSTITUTIONS))) {
            throw new IllegalStateException("The state machine definition uses the substitution variables " + used
                    + ", but RetrainStateMachine.SUBSTITUTIONS lists " + RetrainStateMachine.SUBSTITUTIONS + " and the "
                    + "pipeline stack provides " + provided + ": keep the three the same");
        }
    }

    private void grantWhatTheStatesDo(Props props) {
        Stack stack = Stack.of(this);
        props.tasks().grantInvoke(stateMachine);

        String trainingJobs = stack.formatArn(ArnComponents.builder()
                .service("sagemaker").resource("training-job").resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("SageMakerTrainingJobs")
                .actions(List.of("sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob",
                        "sagemaker:StopTrainingJob", "sagemaker:ListTags"))
                .resources(List.of(trainingJobs))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("SageMakerTuningJobs")
                .actions(List.of("sagemaker:CreateHyperParameterTuningJob",
                        "sagemaker:DescribeHyperParameterTuningJob", "sagemaker:StopHyperParameterTuningJob",
                        "sagemaker:ListTags"))
                .resources(List.of(tuningJobs(stack)))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("PassTheTrainingRoleToSageMakerOnly")
                .effect(Effect.ALLOW)
                .actions(List.of("iam:PassRole"))
                .resources(List.of(props.sageMakerRole().getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "sagemaker.amazonaws.com")))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("SubmitTheTrainerJobToItsQueues")
                .actions(List.of("batch:SubmitJob"))
                .resources(List.of(props.jobQueue().getJobQueueArn(), props.cpuJobQueue().getJobQueueArn(),
                        props.jobDefinition().getJobDefinitionArn()))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("FollowAndStopBatchJobs")
                .actions(List.of("batch:DescribeJobs", "batch:TerminateJob"))
                .resources(List.of("*"))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("SyncIntegrationRules")
                .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
                .resources(List.of(rule(stack, SAGEMAKER_SYNC_RULE), rule(stack, SAGEMAKER_TUNING_SYNC_RULE),
                        rule(stack, BATCH_SYNC_RULE)))
                .build());
        props.notifications().grantPublish(stateMachine);

        NagFindings.suppress(stateMachine, NagFindings.IAM5, "Reviewed wildcards of the retraining state machine's "
                + "role. Training and tuning job names are chosen per execution, so the SageMaker actions cover this "
                + "account's and region's training-job/* and hyper-parameter-tuning-job/*. batch:DescribeJobs and "
                + "batch:TerminateJob support no resource-level permissions (AWS documents them on \"*\" for "
                + "submitJob.sync). CDK's logging to CloudWatch Logs (log delivery actions) and X-Ray tracing "
                + "(PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) are only grantable on "
                + "\"*\". The KMS data-key actions (GenerateDataKey*) are limited to the stack's own key, for the "
                + "encrypted notification topic.",
                List.of(NagFindings.resource("*"),
                        NagFindings.resourceMatching("arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:"
                                + "training-job/\\*"),
                        NagFindings.resourceMatching("arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:"
                                + "hyper-parameter-tuning-job/\\*"),
                        NagFindings.action("kms:GenerateDataKey*")));
    }

    /** This account's and region's SageMaker tuning jobs (named per execution). */
    public static String tuningJobs(Stack stack) {
        return stack.formatArn(ArnComponents.builder().service("sagemaker").resource("hyper-parameter-tuning-job")
                .resourceName("*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    private static String rule(Stack stack, String name) {
        return stack.formatArn(ArnComponents.builder().service("events").resource("rule").resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }
}
