package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.PipelineStore;
import io.capstan.pipeline.tasks.PipelineTasks;
import io.capstan.pipeline.tasks.TaskFailure;
import io.capstan.pipeline.tasks.TemporarilyUnavailable;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The platform's side of the local state machine: {@code POST /_local/pipeline/tasks/<model>/<state>} with the Task
 * state's effective input, answered as the AWS service integration would — {@code lambda:invoke} by the pipeline's
 * tasks (the same code as the tasks function), the training integrations by the local trainer, {@code sns:publish}
 * by the execution's history and the platform log, and {@code waitForTaskToken} by waiting for the decision the
 * pipeline API records. Failures answer {@code {"error", "cause"}}, which the runner turns into the task's error.
 *
 * <p>Served only on the platform's own listener ({@link io.capstan.local.internal.PlatformEndpoints}). No request
 * holds the listener's thread: the work runs on a small pool of its own, and an approval is awaited by a timer that
 * looks at the store, at most {@value #MAX_PENDING_APPROVALS} at a time.
 */
public final class LocalTasks implements Function<HttpRequest, CompletionStage<HttpResponse>>, AutoCloseable {
    /** Where the runner posts Task states: {@code <PATH><model, URL-encoded>/<state>}. */
    public static final String PATH = "/_local/pipeline/tasks/";
    static final int MAX_PENDING_APPROVALS = 64;
    private static final long APPROVAL_POLL_MILLIS = 200;
    private static final int MAX_NAME_LENGTH = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineTasks tasks;
    private final LocalTraining training;
    private final PipelineStore store;
    private final Consumer<String> log;
    private final Clock clock;
    private final ExecutorService work = Executors.newFixedThreadPool(4, task -> daemon(task, "capstan-pipeline-task"));
    private final ScheduledExecutorService approvals = Executors.newSingleThreadScheduledExecutor(
            task -> daemon(task, "capstan-pipeline-approvals"));
    private final Set<CompletableFuture<HttpResponse>> waiting = ConcurrentHashMap.newKeySet();
    private volatile TaskFaults faults = TaskFaults.NONE;

    LocalTasks(PipelineTasks tasks, LocalTraining training, PipelineStore store, Consumer<String> log, Clock clock) {
        this.tasks = tasks;
        this.training = training;
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /** Injects failures of the AWS services the local platform stands in for (a throttled SageMaker API, say). */
    public void injectFaults(TaskFaults injected) {
        this.faults = injected;
    }

    @Override
    public CompletableFuture<HttpResponse> apply(HttpRequest request) {
        String rest = request.path().startsWith(PATH) ? request.path().substring(PATH.length()) : "";
        int slash = rest.lastIndexOf('/');
        String model = slash < 0 ? "" : rest.substring(0, slash);
        String state = rest.substring(slash + 1);
        String execution = request.queryParameter("execution").orElse("");
        Optional<String> invalid = invalidName("model", model).or(() -> invalidName("state", state))
                .or(() -> invalidName("execution", execution));
        if (!request.method().equals("POST") || invalid.isPresent()) {
            return done(failure("States.Runtime", invalid.orElse("") + "; a task is POST " + PATH
                    + "<model>/<state>?execution=<name>"));
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return done(failure("States.Runtime", "the runner sent no JSON"));
        }
        if (body == null || !body.isObject()) {
            return done(failure("States.Runtime", "the runner sent no JSON object"));
        }
        Optional<TaskFaults.Fault> fault = faults.next(state);
        if (fault.isPresent()) {
            log.accept("[pipeline] " + execution + ": " + state + " fails with injected " + fault.get().error());
            return done(failure(fault.get().error(), fault.get().cause()));
        }
        String resource = body.path("resource").asText();
        JsonNode input = body.path("input");
        if (resource.endsWith(":lambda:invoke.waitForTaskToken")) {
            // the request for a decision is recorded first (null: recorded); a failure to record it is the answer
            return async(() -> {
                tasks.run(input.path("Payload"));
                return null;
            }).thenCompose(failed -> failed != null ? done(failed) : awaitDecision(model, execution));
        }
        return async(() -> run(resource, input, model, execution));
    }

    /** Stops the work and the approval timer; requests still waiting are answered with a failure. */
    @Override
    public void close() {
        approvals.shutdownNow();
        work.shutdownNow();
        List.copyOf(waiting).forEach(answer -> answer.complete(failure("States.Runtime", "the platform stopped")));
    }

    private HttpResponse run(String resource, JsonNode input, String model, String execution) {
        if (resource.endsWith(":lambda:invoke")) {
            ObjectNode out = JSON.createObjectNode();
            out.set("Payload", tasks.run(input.path("Payload")));
            return ok(out);
        }
        if (resource.endsWith(":sagemaker:createTrainingJob.sync")) {
            return trained(() -> training.sageMaker(input, line -> log.accept("[train] " + line)));
        }
        if (resource.endsWith(":sagemaker:createHyperParameterTuningJob.sync")) {
            return trained(() -> training.tuningJob(input, line -> log.accept("[tune] " + line)));
        }
        if (resource.endsWith(":batch:submitJob.sync")) {
            return trained(() -> training.batch(input, line -> log.accept("[train] " + line)));
        }
        if (resource.endsWith(":sns:publish")) {
            return publish(input, model, execution);
        }
        return failure("States.Runtime", "the local platform has no stand-in for " + resource);
    }

    private static HttpResponse trained(TrainingCall call) {
        try {
            return ok(call.run());
        } catch (LocalTraining.TrainingFailed e) {
            return failure("States.TaskFailed", JSON.createObjectNode().put("message", e.getMessage()).toString());
        }
    }

    /** Runs {@code task} off the listener's thread; a failure the state machine handles becomes the task's error. */
    private CompletableFuture<HttpResponse> async(Supplier<HttpResponse> task) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return task.get();
                } catch (TaskFailure e) {
                    return failure(e.errorName(), e.causeJson());
                } catch (TemporarilyUnavailable e) {
                    return failure(TemporarilyUnavailable.ERROR, JSON.createObjectNode().put("message", e.getMessage())
                            .toString());
                } catch (CapstanException e) {
                    return failure(e.retryable() ? TemporarilyUnavailable.ERROR : e.errorCode().name(),
                            JSON.createObjectNode().put("message", e.getMessage()).toString());
                }
            }, work);
        } catch (RejectedExecutionException stopping) {
            return done(failure("States.Runtime", "the platform is stopping"));
        }
    }

    private HttpResponse publish(JsonNode input, String model, String execution) {
        String subject = input.path("Subject").asText();
        String message = input.path("Message").asText();
        log.accept("[notify] " + subject + " - " + message);
        store.appendEvents(model, execution, List.of(new ExecutionEvent(clock.millis(), "Notification", "", subject,
                message)));
        return ok(JSON.createObjectNode().put("MessageId", UUID.randomUUID().toString()));
    }

    /** Answers once the pipeline API has recorded a decision; the store is looked at every 200 ms by a timer. */
    private CompletableFuture<HttpResponse> awaitDecision(String model, String execution) {
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        synchronized (waiting) {
            if (waiting.size() >= MAX_PENDING_APPROVALS) {
                return done(failure("States.Runtime", "more than " + MAX_PENDING_APPROVALS + " approvals are pending"));
            }
            waiting.add(answer);
        }
        log.accept("[pipeline] " + execution + ": waiting for approval (POST /api/2.0/capstan/pipelines/" + model
                + "/runs/" + execution + "/approval)");
        answer.whenComplete((response, failure) -> waiting.remove(answer));
        try {
            ScheduledFuture<?> poll = approvals.scheduleWithFixedDelay(() -> {
                try {
                    decision(model, execution).ifPresent(answer::complete);
                } catch (RuntimeException e) {
                    answer.complete(failure(TemporarilyUnavailable.ERROR, JSON.createObjectNode()
                            .put("message", "reading the approval failed: " + e.getMessage()).toString()));
                }
            }, 0, APPROVAL_POLL_MILLIS, TimeUnit.MILLISECONDS);
            answer.whenComplete((response, failure) -> poll.cancel(false));
        } catch (RejectedExecutionException stopping) {
            answer.complete(failure("States.Runtime", "the platform is stopping"));
        }
        return answer;
    }

    private Optional<HttpResponse> decision(String model, String execution) {
        Optional<ApprovalRequest> request = store.approval(model, execution);
        if (request.isEmpty() || request.get().pending()) {
            return Optional.empty();
        }
        ApprovalRequest decided = request.get();
        if (decided.status().equals(ApprovalRequest.APPROVED)) {
            return Optional.of(ok(JSON.createObjectNode().put("decided_by", decided.decidedBy())
                    .put("reason", decided.reason())));
        }
        return Optional.of(failure("ApprovalRejected", JSON.createObjectNode().put("message",
                decided.reason().isEmpty() ? "rejected by " + decided.decidedBy()
                        : decided.reason() + " (" + decided.decidedBy() + ")").toString()));
    }

    /** Why {@code value} cannot name a {@code what}, or empty: no control characters, at most 256 characters. */
    private static Optional<String> invalidName(String what, String value) {
        if (value.isEmpty() || value.length() > MAX_NAME_LENGTH
                || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("the " + what + " must be 1 to " + MAX_NAME_LENGTH + " characters without control "
                    + "characters");
        }
        return Optional.empty();
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static HttpResponse ok(JsonNode body) {
        return HttpResponse.json(200, body.toString());
    }

    private static HttpResponse failure(String error, String cause) {
        return HttpResponse.json(400, JSON.createObjectNode().put("error", error).put("cause", cause).toString());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @FunctionalInterface
    private interface TrainingCall {
        JsonNode run() throws LocalTraining.TrainingFailed;
    }
}
