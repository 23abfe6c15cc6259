package io.capstan.pipeline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.error.CapstanException;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.ExecutionNames;
import io.capstan.pipeline.PipelineExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The retraining state machine on AWS Step Functions: executions are started, listed and described through the
 * service, and an approval resumes its execution with {@code SendTaskSuccess} or {@code SendTaskFailure}
 * ({@code ApprovalRejected}).
 */
public final class StepFunctionsEngine implements PipelineEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LISTED = 100;

    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsEngine(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public PipelineExecution start(String modelName, String executionName, JsonNode input, String trigger) {
        try {
            sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(executionName).input(input.toString()));
        } catch (ExecutionAlreadyExistsException e) {
            // the same name: the execution this trigger already started
        }
        return execution(modelName, executionName).orElseThrow();
    }

    @Override
    public List<PipelineExecution> executions(String modelName) {
        List<PipelineExecution> found = new ArrayList<>();
        for (ExecutionListItem item : sfn.listExecutionsPaginator(b -> b.stateMachineArn(stateMachineArn))
                .executions()) {
            if (ExecutionNames.belongsTo(item.name(), modelName)) {
                found.add(new PipelineExecution(modelName, item.name(), item.statusAsString(),
                        item.startDate().toEpochMilli(), item.stopDate() == null ? null : item.stopDate().toEpochMilli(),
                        "", "", ""));
                if (found.size() == MAX_LISTED) {
                    break;
                }
            }
        }
        return found;
    }

    @Override
    public Optional<PipelineExecution> execution(String modelName, String executionName) {
        try {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn(executionName)));
            String trigger = "";
            try {
                trigger = JSON.readTree(d.input()).path("trigger").asText("");
            } catch (java.io.IOException e) {
                // an input not written by Capstan
            }
            return Optional.of(new PipelineExecution(modelName, d.name(), d.statusAsString(),
                    d.startDate().toEpochMilli(), d.stopDate() == null ? null : d.stopDate().toEpochMilli(), trigger,
                    d.error(), d.cause()));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ExecutionEvent> history(String modelName, String executionName) {
        List<ExecutionEvent> events = new ArrayList<>();
        try {
            for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn(executionName)))
                    .events()) {
                events.add(toEvent(e));
            }
        } catch (ExecutionDoesNotExistException e) {
            throw CapstanException.notFound("No execution " + executionName + " of model " + modelName);
        }
        return events;
    }

    @Override
    public void resume(ApprovalRequest decided) {
        if (decided.status().equals(ApprovalRequest.APPROVED)) {
            sfn.sendTaskSuccess(b -> b.taskToken(decided.token()).output(JSON.createObjectNode()
                    .put("decided_by", decided.decidedBy()).put("reason", decided.reason()).toString()));
        } else {
            sfn.sendTaskFailure(b -> b.taskToken(decided.token()).error("ApprovalRejected")
                    .cause(JSON.createObjectNode().put("message", decided.reason().isEmpty()
                            ? "rejected by " + decided.decidedBy() : decided.reason() + " (" + decided.decidedBy() + ")")
                            .toString()));
        }
    }

    private String executionArn(String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    /** Step Functions' event types in the local interpreter's vocabulary ({@code StateEntered}, …). */
    private static ExecutionEvent toEvent(HistoryEvent e) {
        String type = e.typeAsString();
        long time = e.timestamp().toEpochMilli();
        if (e.stateEnteredEventDetails() != null) {
            return new ExecutionEvent(time, "StateEntered", e.stateEnteredEventDetails().name(), "", "");
        }
        if (e.stateExitedEventDetails() != null) {
            return new ExecutionEvent(time, "StateExited", e.stateExitedEventDetails().name(), "", "");
        }
        if (e.taskFailedEventDetails() != null) {
            return new ExecutionEvent(time, "StateFailed", "", e.taskFailedEventDetails().error(),
                    e.taskFailedEventDetails().cause());
        }
        if (e.executionFailedEventDetails() != null) {
            return new ExecutionEvent(time, "ExecutionFailed", "", e.executionFailedEventDetails().error(),
                    e.executionFailedEventDetails().cause());
        }
        return new ExecutionEvent(time, type, "", "", "");
    }
}
