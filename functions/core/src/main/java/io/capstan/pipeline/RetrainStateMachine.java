package io.capstan.pipeline;

import java.util.List;

/**
 * The retraining state machine's definition file and the substitution variables in it: the CDK pipeline stack
 * fills them with the deployed ARNs, the embedded platform with local stand-ins. Both read the same file.
 */
public final class RetrainStateMachine {
    /** The definition, relative to the repository root. */
    public static final String DEFINITION = "step-functions/retrain.asl.json";
    /** The Lambda function running the pipeline's tasks. */
    public static final String TASKS_FUNCTION = "PipelineTasksFunctionArn";
    /** The role SageMaker training jobs run as. */
    public static final String SAGEMAKER_ROLE = "SageMakerRoleArn";
    /** The AWS Batch job queue on the GPU compute environment. */
    public static final String BATCH_QUEUE = "BatchJobQueueArn";
    /** The AWS Batch job definition of the trainer. */
    public static final String BATCH_JOB_DEFINITION = "BatchJobDefinitionArn";
    /** The SNS topic outcomes are published to. */
    public static final String NOTIFICATION_TOPIC = "NotificationTopicArn";
    /** The environment variable that gives the pipeline tasks the default training image (Capstan's trainer). */
    public static final String TRAINER_IMAGE_ENV = "CAPSTAN_TRAINER_IMAGE";
    /** The environment variable that gives functions starting executions the state machine's ARN. */
    public static final String STATE_MACHINE_ARN_ENV = "CAPSTAN_STATE_MACHINE_ARN";
    /** Every substitution variable the definition uses. */
    public static final List<String> SUBSTITUTIONS = List.of(TASKS_FUNCTION, SAGEMAKER_ROLE, BATCH_QUEUE,
            BATCH_JOB_DEFINITION, NOTIFICATION_TOPIC);

    private RetrainStateMachine() {
    }
}
