package io.capstan.local.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.batch.api.BatchEngine;
import io.capstan.local.pipeline.StateMachineRunner;
import io.capstan.local.pipeline.TaskEndpoint;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs batch jobs' executions with the local interpreter, one thread each, and keeps their states in memory (a job's
 * manifest, in S3, outlives a restart; its execution's state does not). Progress goes to the log: a line per chunk
 * scored or failed, and the end.
 */
public final class LocalBatchEngine implements BatchEngine, AutoCloseable {
    private final StateMachineRunner runner;
    private final TaskEndpoint tasks;
    private final Consumer<String> log;
    private final Clock clock;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "capstan-batch");
        thread.setDaemon(true);
        return thread;
    });

    public LocalBatchEngine(StateMachineRunner runner, TaskEndpoint tasks, Consumer<String> log, Clock clock) {
        this.runner = runner;
        this.tasks = tasks;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public synchronized void start(String jobId, JsonNode input) {
        if (executions.containsKey(jobId)) {
            return;
        }
        long started = clock.millis();
        executions.put(jobId, new Execution("RUNNING", started, Optional.empty(), Optional.empty(), Optional.empty()));
        log.accept("[batch] " + jobId + ": started");
        threads.submit(() -> run(jobId, input, started));
    }

    @Override
    public Optional<Execution> execution(String jobId) {
        return Optional.ofNullable(executions.get(jobId));
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

    private void run(String jobId, JsonNode input, long started) {
        AtomicInteger scored = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            follow(jobId, input, started, scored, failed);
        } catch (RuntimeException e) {
            log.accept("[batch] " + jobId + ": the local runner failed: " + e);
        }
        executions.computeIfPresent(jobId, (id, e) -> e.status().equals("RUNNING") ? new Execution("FAILED", started,
                Optional.of(clock.millis()), Optional.of("LocalRunnerFailed"),
                Optional.of("the runner ended without an end event")) : e);
    }

    private void follow(String jobId, JsonNode input, long started, AtomicInteger scored, AtomicInteger failed) {
        runner.run(jobId, input, tasks, event -> {
            String type = event.path("type").asText();
            String state = event.path("state").asText();
            if (type.equals("TaskSucceeded") && state.equals("ScoreChunk")) {
                log.accept("[batch] " + jobId + ": chunk scored (" + scored.incrementAndGet() + " so far)");
            } else if (type.equals("TaskSucceeded") && state.equals("RecordChunkFailure")) {
                log.accept("[batch] " + jobId + ": a chunk failed after its retries (" + failed.incrementAndGet()
                        + " so far)");
            } else if (type.equals("TaskFailed") && state.equals("ScoreChunk")) {
                log.accept("[batch] " + jobId + ": a chunk attempt failed: " + event.path("error").asText() + " "
                        + event.path("cause").asText());
            } else if (type.equals("ExecutionSucceeded")) {
                executions.put(jobId, new Execution("SUCCEEDED", started, Optional.of(clock.millis()),
                        Optional.empty(), Optional.empty()));
                log.accept("[batch] " + jobId + ": ended " + event.path("output").path("status").asText("")
                        + ", " + event.path("output").path("rows").asText("?") + " rows");
            } else if (type.equals("ExecutionFailed") || type.equals("ExecutionAborted")) {
                executions.put(jobId, new Execution("FAILED", started, Optional.of(clock.millis()),
                        Optional.of(event.path("error").asText("States.Runtime")),
                        Optional.of(event.path("cause").asText(""))));
                log.accept("[batch] " + jobId + ": failed: " + event.path("error").asText() + " "
                        + event.path("cause").asText());
            }
        });
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
