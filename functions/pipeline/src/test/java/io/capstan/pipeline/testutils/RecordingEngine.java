package io.capstan.pipeline.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.engine.PipelineEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written {@link PipelineEngine} that runs nothing: it records what it was asked to start and resume. Like
 * Step Functions, starting an existing execution name returns that execution. {@link #failNextStart} makes the next
 * start fail as a throttled service would. Safe for concurrent callers.
 */
public final class RecordingEngine implements PipelineEngine {
    /** A started execution with its input. */
    public record Started(String modelName, String name, JsonNode input, String trigger) {
    }

    public final List<Started> starts = Collections.synchronizedList(new ArrayList<>());
    public final List<ApprovalRequest> resumed = new ArrayList<>();
    private final Map<String, PipelineExecution> executions = new LinkedHashMap<>();
    private RuntimeException nextStartFailure;

    public synchronized void failNextStart(RuntimeException failure) {
        nextStartFailure = failure;
    }

    @Override
    public synchronized PipelineExecution start(String modelName, String executionName, JsonNode input,
                                                String trigger) {
        if (nextStartFailure != null) {
            RuntimeException failure = nextStartFailure;
            nextStartFailure = null;
            throw failure;
        }
        starts.add(new Started(modelName, executionName, input, trigger));
        return executions.computeIfAbsent(executionName, name -> new PipelineExecution(modelName, name,
                PipelineExecution.RUNNING, 1_795_313_940_000L + executions.size(), null, trigger, "", ""));
    }

    @Override
    public synchronized List<PipelineExecution> executions(String modelName) {
        List<PipelineExecution> found = new ArrayList<>(executions.values().stream()
                .filter(e -> e.modelName().equals(modelName)).toList());
        Collections.reverse(found);
        return found;
    }

    @Override
    public synchronized Optional<PipelineExecution> execution(String modelName, String executionName) {
        return Optional.ofNullable(executions.get(executionName)).filter(e -> e.modelName().equals(modelName));
    }

    @Override
    public synchronized List<ExecutionEvent> history(String modelName, String executionName) {
        return List.of();
    }

    @Override
    public synchronized void resume(ApprovalRequest decided) {
        resumed.add(decided);
    }
}
