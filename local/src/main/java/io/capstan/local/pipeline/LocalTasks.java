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
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The platform's side of the local state machine: {@code POST /_local/pipeline/tasks/<state>} with the Task
 * state's effective input, answered as the AWS service integration would — {@code lambda:invoke} by the pipeline's
 * tasks (the same code as the tasks function), the training integrations by the local trainer, {@code sns:publish}
 * by the execution's history and the platform log, and {@code waitForTaskToken} by waiting for the decision the
 * pipeline API records. Failures answer {@code {"error", "cause"}}, which the runner turns into the task's error.
 */
public final class LocalTasks implements Function<HttpRequest, HttpResponse> {
    /** Where the runner posts Task states: {@code <PATH><model, URL-encoded>/<state>}. */
    public static final String PATH = "/_local/pipeline/tasks/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineTasks tasks;
    private final LocalTraining training;
    private final PipelineStore store;
    private final Consumer<String> log;
    private final Clock clock;
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
    public HttpResponse apply(HttpRequest request) {
        String rest = request.path().substring(PATH.length());
        if (rest.indexOf('/') < 0) {
            return failure("States.Runtime", "task path must be " + PATH + "<model>/<state>");
        }
        String model = rest.substring(0, rest.indexOf('/'));
        String state = rest.substring(rest.indexOf('/') + 1);
        String execution = request.queryParameter("execution").orElse("");
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return failure("States.Runtime", "the runner sent no JSON");
        }
        Optional<TaskFaults.Fault> fault = faults.next(state);
        if (fault.isPresent()) {
            log.accept("[pipeline] " + execution + ": " + state + " fails with injected " + fault.get().error());
            return failure(fault.get().error(), fault.get().cause());
        }
        String resource = body.path("resource").asText();
        JsonNode input = body.path("input");
        try {
            if (resource.endsWith(":lambda:invoke")) {
                ObjectNode out = JSON.createObjectNode();
                out.set("Payload", tasks.run(input.path("Payload")));
                return ok(out);
            }
            if (resource.endsWith(":lambda:invoke.waitForTaskToken")) {
                tasks.run(input.path("Payload"));
                return awaitDecision(model, execution);
            }
            if (resource.endsWith(":sagemaker:createTrainingJob.sync")) {
                return ok(training.sageMaker(input, line -> log.accept("[train] " + line)));
            }
            if (resource.endsWith(":batch:submitJob.sync")) {
                return ok(training.batch(input, line -> log.accept("[train] " + line)));
            }
            if (resource.endsWith(":sns:publish")) {
                return publish(input, model, execution);
            }
            return failure("States.Runtime", "the local platform has no stand-in for " + resource);
        } catch (TaskFailure e) {
            return failure(e.errorName(), e.causeJson());
        } catch (LocalTraining.TrainingFailed e) {
            return failure("States.TaskFailed", JSON.createObjectNode().put("message", e.getMessage()).toString());
        } catch (CapstanException e) {
            return failure(e.retryable() ? "TemporarilyUnavailable" : e.errorCode().name(),
                    JSON.createObjectNode().put("message", e.getMessage()).toString());
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

    private HttpResponse awaitDecision(String model, String execution) {
        log.accept("[pipeline] " + execution + ": waiting for approval (POST /api/2.0/capstan/pipelines/" + model
                + "/runs/" + execution + "/approval)");
        while (true) {
            Optional<ApprovalRequest> request = store.approval(model, execution);
            if (request.isPresent() && !request.get().pending()) {
                ApprovalRequest decided = request.get();
                if (decided.status().equals(ApprovalRequest.APPROVED)) {
                    return ok(JSON.createObjectNode().put("decided_by", decided.decidedBy())
                            .put("reason", decided.reason()));
                }
                return failure("ApprovalRejected", JSON.createObjectNode().put("message", decided.reason().isEmpty()
                        ? "rejected by " + decided.decidedBy() : decided.reason() + " (" + decided.decidedBy() + ")")
                        .toString());
            }
            LockSupport.parkNanos(200_000_000L);
        }
    }

    private static HttpResponse ok(JsonNode body) {
        return HttpResponse.json(200, body.toString());
    }

    private static HttpResponse failure(String error, String cause) {
        return HttpResponse.json(400, JSON.createObjectNode().put("error", error).put("cause", cause).toString());
    }
}
