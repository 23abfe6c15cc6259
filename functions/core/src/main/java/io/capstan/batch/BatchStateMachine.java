package io.capstan.batch;

/**
 * The batch prediction state machine's definition file and its substitution variables: the CDK app fills them with
 * the deployed ARNs, the embedded platform with local stand-ins.
 */
public final class BatchStateMachine {
    /** The definition, relative to the repository root. */
    public static final String DEFINITION = "step-functions/batch-predict.asl.json";
    /** The Lambda function running the plan, chunk and finish tasks. */
    public static final String TASKS_FUNCTION = "BatchTasksFunctionArn";
    /** The environment variable that gives the batch API the state machine's ARN. */
    public static final String STATE_MACHINE_ARN_ENV = "CAPSTAN_BATCH_STATE_MACHINE_ARN";
    /** The environment variable that gives the batch API where jobs may read and write (comma-separated S3 URIs). */
    public static final String LOCATIONS_ENV = "CAPSTAN_BATCH_LOCATIONS";
    /** The task field that says which task a state runs: {@code plan}, {@code score} or {@code finish}. */
    public static final String TASK_FIELD = "task";

    private BatchStateMachine() {
    }
}
