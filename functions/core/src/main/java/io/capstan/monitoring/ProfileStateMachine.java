package io.capstan.monitoring;

/**
 * The distributed drift check's state machine ({@code step-functions/profile-dataset.asl.json}): its definition file
 * and substitution variable, which the CDK app fills with the deployed ARN and the embedded platform with a local
 * stand-in.
 */
public final class ProfileStateMachine {
    /** The definition, relative to the repository root. */
    public static final String DEFINITION = "step-functions/profile-dataset.asl.json";
    /** The Lambda function running the chunk and finish tasks: the drift function. */
    public static final String TASKS_FUNCTION = "DriftFunctionArn";
    /** The environment variable that gives the drift function the state machine's ARN (unset: no distributed checks). */
    public static final String STATE_MACHINE_ARN_ENV = "CAPSTAN_DRIFT_PROFILE_STATE_MACHINE_ARN";
    /** The payload field naming a task ({@code profile_chunk}, {@code finish}); API and schedule events have none. */
    public static final String TASK_FIELD = "task";

    private ProfileStateMachine() {
    }
}
