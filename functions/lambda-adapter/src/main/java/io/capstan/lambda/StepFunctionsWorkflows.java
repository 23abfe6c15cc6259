package io.capstan.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.workflow.WorkflowEngine;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** {@link WorkflowEngine} on a deployed state machine: one execution per name (a batch job, a drift check). */
public final class StepFunctionsWorkflows implements WorkflowEngine {
    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsWorkflows(SfnClient sfn, String stateMachineArn) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.stateMachineArn = Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    }

    @Override
    public void start(String name, JsonNode input) {
        try {
            sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input.toString()));
        } catch (ExecutionAlreadyExistsException e) {
            // started before (a retried request): its execution stands
        }
    }

    @Override
    public Optional<Execution> execution(String name) {
        try {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn(name)));
            return Optional.of(new Execution(execution.statusAsString(), execution.startDate().toEpochMilli(),
                    Optional.ofNullable(execution.stopDate()).map(java.time.Instant::toEpochMilli),
                    Optional.ofNullable(execution.error()), Optional.ofNullable(execution.cause())));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** {@code arn:…:stateMachine:<state machine>} becomes {@code arn:…:execution:<state machine>:<name>}. */
    String executionArn(String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }
}
