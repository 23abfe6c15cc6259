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
    /** The AWS Batch job queue on the GPU compute environment: jobs asking for at least one GPU. */
    public static final String BATCH_QUEUE = "BatchJobQueueArn";
    /** The AWS Batch job queue on the CPU compute environment: jobs with {@code training.gpu_count} 0. */
    public static final String BATCH_CPU_QUEUE = "BatchCpuJobQueueArn";
    /** The AWS Batch job definition of the trainer (no GPU; a job asks for its GPUs in its overrides). */
    public static final String BATCH_JOB_DEFINITION = "BatchJobDefinitionArn";
    /** The SNS topic outcomes are published to. */
    public static final String NOTIFICATION_TOPIC = "NotificationTopicArn";
    /** The environment variable that gives the pipeline tasks the default training image (Capstan's trainer). */
    public static final String TRAINER_IMAGE_ENV = "CAPSTAN_TRAINER_IMAGE";
    /** The environment variable that gives the pipeline tasks the notification topic (approval requests). */
    public static final String NOTIFICATION_TOPIC_ENV = "CAPSTAN_NOTIFICATION_TOPIC_ARN";
    /**
     * The environment variable that gives the pipeline tasks the most GPUs one Batch job may ask for: what the
     * largest GPU instance within the compute environment's vCPU limit holds.
     */
    public static final String BATCH_MAX_GPUS_ENV = "CAPSTAN_BATCH_MAX_GPUS";
    /**
     * Attempts of one Batch training job: the job definition retries an attempt whose host went away (a Spot
     * reclaim), so a job may run this many times its attempt duration.
     */
    public static final int BATCH_ATTEMPTS = 3;
    /**
     * How long a Batch job may wait RUNNABLE for capacity before its queue cancels it (AWS Batch
     * {@code jobStateTimeLimitActions}, reason {@code CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY}), in seconds.
     */
    public static final int BATCH_CAPACITY_WAIT_SECONDS = 3600;
    /** The environment variable that gives functions starting executions the state machine's ARN. */
    public static final String STATE_MACHINE_ARN_ENV = "CAPSTAN_STATE_MACHINE_ARN";
    /** Every substitution variable the definition uses. */
    public static final List<String> SUBSTITUTIONS = List.of(TASKS_FUNCTION, SAGEMAKER_ROLE, BATCH_QUEUE,
            BATCH_CPU_QUEUE, BATCH_JOB_DEFINITION, NOTIFICATION_TOPIC);

    private RetrainStateMachine() {
    }
}
