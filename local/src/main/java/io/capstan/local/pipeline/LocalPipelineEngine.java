package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.PipelineStore;
import io.capstan.pipeline.engine.PipelineEngine;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The retraining state machine on one machine: each execution runs the definition through the local interpreter
 * in the background, its events are kept in the pipeline store (there is no Step Functions service to keep them)
 * and logged as they happen. An execution this process was not running when it stopped reads as ABORTED.
 */
public final class LocalPipelineEngine implements PipelineEngine, AutoCloseable {
    static final String ABORTED = "ABORTED";

    private final StateMachineRunner runner;
    private final PipelineStore store;
    private final TaskEndpoint tasks;
    private final Consumer<String> log;
    private final Clock clock;
    private final ExecutorService executions = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "capstan-pipeline");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /**
     * @param tasks the task endpoint the runner posts Task states to
     * @param log   receives a line per state entered, retried, caught or failed, and per execution end
     */
    public LocalPipelineEngine(StateMachineRunner runner, PipelineStore store, TaskEndpoint tasks,
                               Consumer<String> log, Clock clock) {
        this.runner = runner;
        this.store = store;
        this.tasks = tasks;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public synchronized PipelineExecution start(String modelName, String executionName, JsonNode input,
                                                String trigger) {
        Optional<PipelineExecution> existing = execution(modelName, executionName);
        if (existing.isPresent()) {
            return existing.get();
        }
        PipelineExecution execution = new PipelineExecution(modelName, executionName, PipelineExecution.RUNNING,
                clock.millis(), null, trigger, "", "");
        store.putExecution(execution);
        running.add(executionName);
        log.accept("[pipeline] " + modelName + ": execution " + executionName + " started (" + trigger + ")");
        executions.submit(() -> run(execution, input));
        return execution;
    }

    @Override
    public List<PipelineExecution> executions(String modelName) {
        return store.executions(modelName).stream().map(this::current).toList();
    }

    @Override
    public Optional<PipelineExecution> execution(String modelName, String executionName) {
        return store.execution(modelName, executionName).map(this::current);
    }

    @Override
    public List<ExecutionEvent> history(String modelName, String executionName) {
        return store.history(modelName, executionName);
    }

    /** The local task waits for the decision in the store; there is no token to send. */
    @Override
    public void resume(ApprovalRequest decided) {
        log.accept("[pipeline] " + decided.modelName() + ": version " + decided.version() + " "
                + decided.status().toLowerCase(java.util.Locale.ROOT) + " by " + decided.decidedBy());
    }

    /** Waits for running executions to end, up to {@code timeoutMillis}; true when none is left. */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return running.isEmpty();
    }

    @Override
    public void close() {
        executions.shutdownNow();
    }

    private void run(PipelineExecution execution, JsonNode input) {
        String[] outcome = {PipelineExecution.FAILED, "LocalRunnerFailed", "the runner ended without a result"};
        try {
            runner.run(execution.name(), input, tasks.forModel(execution.modelName()), event -> {
                String type = event.path("type").asText();
                String state = event.path("state").asText("");
                String error = event.path("error").asText("");
                String cause = event.path("cause").asText("");
                store.appendEvents(execution.modelName(), execution.name(), List.of(new ExecutionEvent(
                        event.path("timestamp").asLong(clock.millis()), type, state, error, cause)));
                switch (type) {
                    case "StateEntered" -> log.accept("[pipeline] " + execution.name() + ": " + state);
                    case "StateRetried" -> log.accept("[pipeline] " + execution.name() + ": " + state
                            + " retried (attempt " + event.path("attempt").asInt() + ")");
                    case "StateFailed", "StateCaught" -> log.accept("[pipeline] " + execution.name() + ": " + state
                            + " " + type.substring(5).toLowerCase(java.util.Locale.ROOT) + " " + error + " " + cause);
                    case "ExecutionSucceeded" -> {
                        outcome[0] = PipelineExecution.SUCCEEDED;
                        outcome[1] = "";
                        outcome[2] = event.at("/output/outcome/message").asText("");
                    }
                    case "ExecutionFailed" -> {
                        outcome[1] = error;
                        outcome[2] = cause;
                    }
                    default -> { }
                }
            });
        } catch (RuntimeException e) {
            outcome[2] = e.toString();
        } finally {
            store.putExecution(execution.ended(outcome[0], clock.millis(), outcome[1], outcome[2]));
            running.remove(execution.name());
            log.accept("[pipeline] " + execution.modelName() + ": execution " + execution.name() + " "
                    + outcome[0].toLowerCase(java.util.Locale.ROOT) + (outcome[2].isEmpty() ? "" : ": " + outcome[2]));
        }
    }

    private PipelineExecution current(PipelineExecution stored) {
        return stored.running() && !running.contains(stored.name())
                ? stored.ended(ABORTED, stored.startTime(), "PlatformStopped", "the platform stopped while it ran")
                : stored;
    }
}
