package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.workflow.WorkflowEngine;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one state machine's executions (batch predictions, distributed drift checks) with the local interpreter, one
 * thread each, and keeps their states in memory (what they write to S3 outlives a restart; their execution states do
 * not). Progress goes to the log: a line for each counted state that succeeds, each failed attempt of a watched
 * state, and the end.
 */
public final class LocalWorkflows implements WorkflowEngine, AutoCloseable {
    /**
     * What the log says of an execution.
     *
     * @param label     the log lines' tag, e.g. {@code batch}
     * @param counted   for each counted state, what one of its succeeded tasks is ({@code chunk scored}): the line
     *                  says it with the count so far
     * @param attempted states whose failed attempts are logged with their error
     * @param ended     what the log says of a succeeded execution's output
     */
    public record Progress(String label, Map<String, String> counted, Set<String> attempted,
                           Function<JsonNode, String> ended) {
    }

    private final StateMachineRunner runner;
    private final TaskEndpoint tasks;
    private final Progress progress;
    private final Consumer<String> log;
    private final Clock clock;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final ExecutorService threads;

    public LocalWorkflows(StateMachineRunner runner, TaskEndpoint tasks, Progress progress, Consumer<String> log,
                          Clock clock) {
        this.runner = runner;
        this.tasks = tasks;
        this.progress = progress;
        this.log = log;
        this.clock = clock;
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "capstan-" + progress.label());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public synchronized void start(String name, JsonNode input) {
        if (executions.containsKey(name)) {
            return;
        }
        long started = clock.millis();
        executions.put(name, new Execution("RUNNING", started, Optional.empty(), Optional.empty(), Optional.empty()));
        log(name, "started");
        threads.submit(() -> run(name, input, started));
    }

    @Override
    public Optional<Execution> execution(String name) {
        return Optional.ofNullable(executions.get(name));
    }

    /** Waits until no execution runs (tests, the demo). */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (executions.values().stream().anyMatch(e -> e.status().equals("RUNNING"))) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private void run(String name, JsonNode input, long started) {
        try {
            follow(name, input, started);
        } catch (RuntimeException e) {
            log(name, "the local runner failed: " + e);
        }
        executions.computeIfPresent(name, (id, e) -> e.status().equals("RUNNING") ? new Execution("FAILED", started,
                Optional.of(clock.millis()), Optional.of("LocalRunnerFailed"),
                Optional.of("the runner ended without an end event")) : e);
    }

    private void follow(String name, JsonNode input, long started) {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        runner.run(name, input, tasks, event -> {
            String type = event.path("type").asText();
            String state = event.path("state").asText();
            // the interpreter's events: a state is exited when it succeeded, retried or failed when an attempt failed
            if (type.equals("StateExited") && progress.counted().containsKey(state)) {
                log(name, progress.counted().get(state) + " (" + counts.merge(state, 1, Integer::sum) + " so far)");
            } else if ((type.equals("StateRetried") || type.equals("StateFailed"))
                    && progress.attempted().contains(state)) {
                log(name, "an attempt of " + state + " failed: " + event.path("error").asText() + " "
                        + event.path("cause").asText());
            } else if (type.equals("ExecutionSucceeded")) {
                executions.put(name, new Execution("SUCCEEDED", started, Optional.of(clock.millis()),
                        Optional.empty(), Optional.empty()));
                log(name, "ended " + progress.ended().apply(event.path("output")));
            } else if (type.equals("ExecutionFailed") || type.equals("ExecutionAborted")) {
                executions.put(name, new Execution("FAILED", started, Optional.of(clock.millis()),
                        Optional.of(event.path("error").asText("States.Runtime")),
                        Optional.of(event.path("cause").asText(""))));
                log(name, "failed: " + event.path("error").asText() + " " + event.path("cause").asText());
            }
        });
    }

    private void log(String name, String line) {
        log.accept("[" + progress.label() + "] " + name + ": " + line);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
