package io.capstan.pipeline.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationDispatcher;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.http.RouteTable;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.ExecutionNames;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.PipelineStore;
import io.capstan.pipeline.engine.PipelineEngine;
import io.capstan.pipeline.tasks.PipelineRequest;
import io.capstan.registry.RegistryLimits;
import io.capstan.store.dynamodb.SdkFailures;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The pipeline's HTTP API under {@code /api/2.0/capstan/pipelines/{model}/runs}: start a retraining by hand, list a
 * model's executions, read one with its state history, and approve or reject a version waiting for approval.
 */
public final class PipelineFunction implements Function<HttpRequest, HttpResponse> {
    /** A start request names a dataset and a few settings; Step Functions takes at most 256 KB of input. */
    static final int MAX_START_BODY_BYTES = 32 * 1024;
    private static final Pattern EXECUTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private final PipelineEngine engine;
    private final PipelineStore store;
    private final OperationDispatcher dispatcher;

    public PipelineFunction(PipelineEngine engine, PipelineStore store, RouteTable routes) {
        this.engine = engine;
        this.store = store;
        Map<String, OperationHandler> handlers = new HashMap<>();
        handlers.put("StartPipelineRun", this::start);
        handlers.put("ListPipelineRuns", (req, path) -> {
            ObjectNode out = RequestFields.JSON.createObjectNode();
            ArrayNode runs = out.putArray("runs");
            engine.executions(model(path)).forEach(e -> runs.add(execution(e)));
            return JsonResponses.ok(out);
        });
        handlers.put("GetPipelineRun", (req, path) -> {
            PipelineExecution e = find(model(path), executionName(path));
            ObjectNode out = RequestFields.JSON.createObjectNode();
            out.set("run", execution(e));
            ArrayNode history = out.putArray("history");
            for (ExecutionEvent event : engine.history(e.modelName(), e.name())) {
                ObjectNode node = history.addObject().put("timestamp", event.timestamp()).put("type", event.type());
                putIfNotEmpty(node, "state", event.state());
                putIfNotEmpty(node, "error", event.error());
                putIfNotEmpty(node, "cause", event.cause());
            }
            store.approval(e.modelName(), e.name()).ifPresent(a -> out.set("approval", approval(a)));
            return JsonResponses.ok(out);
        });
        handlers.put("DecidePipelineApproval", this::decide);
        handlers.put("GetPipelineDefinition", (req, path) -> JsonResponses.ok(PipelineDefinition.graph()));
        this.dispatcher = new OperationDispatcher(FunctionId.PIPELINE, routes, handlers, SdkFailures::translate);
    }

    public Set<String> operations() {
        return dispatcher.operations();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        return dispatcher.apply(request);
    }

    private HttpResponse start(HttpRequest request, Map<String, String> path) {
        String model = model(path);
        if (request.body().length > MAX_START_BODY_BYTES) {
            throw CapstanException.invalidParameter("The request body is " + request.body().length + " bytes; a"
                    + " pipeline run's request is at most " + MAX_START_BODY_BYTES + " bytes (the dataset and a few"
                    + " settings).");
        }
        ObjectNode body = body(request);
        checkText("", body);
        body.put("model_name", model);
        body.put("trigger", "manual");
        PipelineRequest.fromJson(body);
        PipelineExecution started = engine.start(model, ExecutionNames.manual(model, "manual"), body, "manual");
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("run", execution(started));
        return JsonResponses.ok(out);
    }

    private HttpResponse decide(HttpRequest request, Map<String, String> path) {
        String model = model(path);
        String execution = executionName(path);
        RequestFields fields = RequestFields.of(request);
        boolean approved = fields.optionalBoolean("approved").orElseThrow(() -> RequestFields.missing("approved"));
        String reason = RegistryLimits.checkReason(fields.optionalString("reason").orElse(""));
        ApprovalRequest pending = store.approval(model, execution).orElseThrow(() ->
                CapstanException.notFound("Execution " + execution + " of model " + model
                        + " is not waiting for an approval."));
        if (!pending.pending()) {
            throw CapstanException.conflict("The approval of execution " + pending.execution() + " was already "
                    + pending.status() + " by " + pending.decidedBy() + ".");
        }
        ApprovalRequest decided = pending.decided(approved, request.callerId(), reason);
        if (!store.decideApproval(decided)) {
            throw CapstanException.conflict("Somebody decided the approval of execution " + pending.execution()
                    + " first; read it again.");
        }
        engine.resume(decided);
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("approval", approval(decided));
        return JsonResponses.ok(out);
    }

    private PipelineExecution find(String model, String execution) {
        return engine.execution(model, execution).orElseThrow(() -> CapstanException.notFound("No execution "
                + execution + " of model " + model));
    }

    /** The {@code {model}} of the path: a registered model name ({@link RegistryLimits#checkModelName}). */
    private static String model(Map<String, String> path) {
        return RegistryLimits.checkModelName("model", path.get("model"));
    }

    /** The {@code {execution}} of the path: Step Functions' execution names. */
    private static String executionName(Map<String, String> path) {
        String name = path.get("execution");
        if (!EXECUTION_NAME.matcher(name).matches()) {
            throw CapstanException.invalidParameter("Invalid execution name '" + FieldLimits.shown(name) + "' (parameter"
                    + " 'execution'): executions are named with 1 to 80 letters, digits, '_' and '-', as"
                    + " GET .../runs lists them.");
        }
        return name;
    }

    /** Every text in the start request: no NUL character, no unpaired surrogate (neither can be stored). */
    private static void checkText(String field, JsonNode node) {
        if (node.isTextual()) {
            FieldLimits.checkCharacters(field, node.textValue());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String child = field.isEmpty() ? e.getKey() : field + "." + e.getKey();
                FieldLimits.checkCharacters(child, e.getKey());
                checkText(child, e.getValue());
            });
        } else if (node.isArray()) {
            node.forEach(element -> checkText(field, element));
        }
    }

    private static ObjectNode body(HttpRequest request) {
        if (request.body().length == 0) {
            return RequestFields.JSON.createObjectNode();
        }
        try {
            JsonNode parsed = RequestFields.JSON.readTree(request.body());
            if (parsed == null || !parsed.isObject()) {
                throw new CapstanException(io.capstan.error.ErrorCode.MALFORMED_REQUEST,
                        "Malformed request: the body must be a JSON object.");
            }
            return (ObjectNode) parsed;
        } catch (IOException e) {
            throw new CapstanException(io.capstan.error.ErrorCode.MALFORMED_REQUEST,
                    "Malformed request: the body is not valid JSON.");
        }
    }

    private static ObjectNode execution(PipelineExecution e) {
        ObjectNode node = RequestFields.JSON.createObjectNode().put("model_name", e.modelName()).put("execution", e.name())
                .put("status", e.status()).put("start_time", e.startTime());
        if (e.stopTime() != null) {
            node.put("stop_time", e.stopTime());
        }
        putIfNotEmpty(node, "trigger", e.trigger());
        putIfNotEmpty(node, "error", e.error());
        putIfNotEmpty(node, "cause", e.cause());
        return node;
    }

    private static ObjectNode approval(ApprovalRequest a) {
        ObjectNode node = RequestFields.JSON.createObjectNode().put("version", Long.toString(a.version()))
                .put("status", a.status()).put("summary", a.summary());
        putIfNotEmpty(node, "decided_by", a.decidedBy());
        putIfNotEmpty(node, "reason", a.reason());
        return node;
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
