package io.capstan.infra.pipeline;

import io.capstan.infra.nag.NagFindings;
import java.util.List;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;

/**
 * What a function may do with a state machine (the retraining one; the batch prediction one for the batch API), each
 * level including the one before.
 */
public enum RetrainingAccess {
    /** Nothing. */
    NONE,
    /** {@code states:StartExecution}: starts retraining and moves on (drift-triggered retraining). */
    START,
    /** Also {@code states:DescribeExecution} on its executions: starts one and reads it back (the upload trigger). */
    START_AND_DESCRIBE,
    /**
     * Also lists executions, reads their history and answers approval tasks ({@code SendTaskSuccess},
     * {@code SendTaskFailure}): the pipeline API.
     */
    OPERATE;

    /**
     * Grants this level on {@code stateMachine} to {@code role}, and records on the role why the execution ARN
     * wildcard ({@code execution:<name>:*}: executions are named at run time) is acceptable.
     */
    public void grant(IRole role, IStateMachine stateMachine) {
        if (this == NONE) {
            return;
        }
        stateMachine.grantStartExecution(role);
        if (this == START) {
            return;
        }
        if (this == START_AND_DESCRIBE) {
            stateMachine.grantExecution(role, "states:DescribeExecution");
        } else {
            stateMachine.grantExecution(role, "states:DescribeExecution", "states:GetExecutionHistory");
            stateMachine.grant(role, "states:ListExecutions", "states:SendTaskSuccess", "states:SendTaskFailure");
        }
        NagFindings.suppress(role, NagFindings.IAM5, "Executions are named at run time (one per upload, manual start, "
                + "drift or quality check, or batch job), so reading them back needs the state machine's own "
                + "execution ARN prefix, execution:<state machine name>:*; nothing beyond it.",
                List.of(NagFindings.resourceMatching("arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:"
                        + "execution:.*:\\*")));
    }
}
