package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.PromotionService;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline's decisions after evaluation: register the version, gate it, wait for an approval, promote or
 * reject it, or record why the execution failed. Each outcome step answers the subject and message the
 * notification carries.
 */
final class DecisionTasks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineServices services;
    private final RunRecorder runs;

    DecisionTasks(PipelineServices services) {
        this.services = services;
        this.runs = new RunRecorder(services.tracking(), services.clock());
    }

    JsonNode register(JsonNode state) {
        String model = state.path("model_name").asText();
        String runId = state.path("run_id").asText();
        String execution = state.path("execution").asText();
        ModelVersion version = services.registry().createModelVersion(model,
                state.at("/evaluated/evaluation/model_source").asText(), runId, "",
                Map.of(RunRecorder.EXECUTION_TAG, execution), "Retrained by pipeline execution " + execution + " from "
                        + state.at("/dataset/uri").asText(), actor(execution));
        if (!version.isReady()) {
            throw new TaskFailure("RegistrationFailed", "version " + version.version() + " of " + model + " is "
                    + version.status() + ": " + version.statusMessage(), runId);
        }
        runs.tags(runId, Map.of("capstan.registered_version", Long.toString(version.version())));
        return JSON.createObjectNode().put("version", Long.toString(version.version()));
    }

    JsonNode gate(JsonNode state) {
        JsonNode gate = state.path("gate");
        GatePolicy policy = new GatePolicy(gate.path("metric").asText(), gate.path("threshold").asDouble(),
                gate.path("margin").asDouble());
        JsonNode evaluation = state.at("/evaluated/evaluation");
        Optional<GatePolicy.ChampionScore> champion = evaluation.has("champion")
                ? Optional.of(new GatePolicy.ChampionScore(evaluation.at("/champion/version").asLong(),
                        EvaluateTask.scores(evaluation.get("champion")))) : Optional.empty();
        GatePolicy.Decision decision = policy.decide(EvaluateTask.scores(evaluation.get("candidate")), champion,
                evaluation.path("evaluation_set").asText().equals("reference") ? "reference rows" : "holdout");
        String model = state.path("model_name").asText();
        String version = state.at("/registered/registration/version").asText();
        services.registry().setVersionTag(model, version, "capstan.gate", (decision.promote() ? "passed: " : "failed: ")
                + decision.reason());
        return JSON.createObjectNode().put("decision", decision.promote() ? "promote" : "reject")
                .put("reason", decision.reason());
    }

    /**
     * Records the approval request, then announces it (the notification topic in AWS); Step Functions waits for its
     * task token until someone decides. The request is recorded first, so whoever reads the announcement finds it.
     */
    JsonNode awaitApproval(JsonNode state, String token) {
        String model = state.path("model_name").asText();
        String execution = state.path("execution").asText();
        long version = state.at("/registered/registration/version").asLong();
        String reason = state.at("/gate_result/reason").asText();
        services.pipelines().putApproval(new ApprovalRequest(model, execution, version, token,
                "version " + version + ": " + reason, ApprovalRequest.PENDING, "", ""));
        services.approvals().approvalAwaited(snsSubject("Capstan: " + model + " v" + version + " awaits approval"),
                model + " version " + version + " passed the gate (" + reason + ") and waits for approval before it "
                        + "is promoted. Approve or reject it with POST /api/2.0/capstan/pipelines/" + model + "/runs/"
                        + execution + "/approval and {\"approved\": true} or {\"approved\": false, \"reason\": "
                        + "\"...\"}. Unanswered, the version is rejected when the approval times out. Execution "
                        + execution + ".");
        return JSON.createObjectNode().put("status", ApprovalRequest.PENDING);
    }

    JsonNode promote(JsonNode state) {
        String model = state.path("model_name").asText();
        String execution = state.path("execution").asText();
        long version = state.at("/registered/registration/version").asLong();
        String champion = state.path("champion_version").asText();
        String reason = state.at("/gate_result/reason").asText() + approvalNote(state);
        try {
            services.promotions().setAlias(model, ModelSelector.CHAMPION, version,
                    Optional.of(champion.isEmpty() ? PromotionService.NONE : Long.parseLong(champion)),
                    actor(execution), reason);
        } catch (CapstanException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_CONFLICT) {
                throw new TaskFailure("PromotionConflict", e.getMessage(), state.path("run_id").asText());
            }
            throw e;
        }
        keepReferenceHoldout(state);
        runs.finish(state.path("run_id").asText(), "promoted v" + version);
        return outcome("promoted", "Capstan: " + model + " v" + version + " is the new champion",
                model + " version " + version + " was promoted to champion" + (champion.isEmpty() ? ""
                        : ", replacing version " + champion) + ". " + reason + ". Execution " + execution + ".");
    }

    JsonNode reject(JsonNode state) {
        String model = state.path("model_name").asText();
        String execution = state.path("execution").asText();
        String version = state.at("/registered/registration/version").asText();
        String reason = state.has("approval_error") ? "not approved: " + causeMessage(state.get("approval_error"))
                : state.at("/gate_result/reason").asText();
        services.registry().setVersionTag(model, version, "capstan.rejected", reason);
        runs.finish(state.path("run_id").asText(), "rejected");
        runs.tags(state.path("run_id").asText(), Map.of("capstan.rejection", reason));
        return outcome("rejected", "Capstan: " + model + " v" + version + " was not promoted", model + " version "
                + version + " stays registered but is not champion: " + reason + ". Execution " + execution + ".");
    }

    JsonNode recordFailure(JsonNode state, String execution) {
        JsonNode error = state.path("error");
        String message = causeMessage(error);
        String runId = state.path("run_id").asText(causeRunId(error));
        runs.fail(runId, error.path("Error").asText("Error") + ": " + message);
        String model = state.path("model_name").asText(state.path("model_name").asText("model"));
        return outcome("failed", "Capstan: retraining " + model + " failed", "Execution " + execution + " failed at "
                + error.path("Error").asText("a step") + ": " + message + (runId.isEmpty() ? "" : " (run " + runId + ")"));
    }

    /** The first champion's holdout becomes the model's reference evaluation set, unless one exists. */
    private void keepReferenceHoldout(JsonNode state) {
        String key = ValidateTask.referenceKey(state.path("model_name").asText());
        if (services.artifacts().get(key).isPresent()) {
            return;
        }
        String holdout = state.path("holdout_uri").asText();
        ValidateTask.read(services.artifacts(), holdout.substring(("s3://" + services.artifactBucket() + "/").length()))
                .ifPresent(rows -> services.artifacts().put(key, rows));
    }

    private String approvalNote(JsonNode state) {
        JsonNode approval = state.path("approval");
        return approval.has("decided_by") ? "; approved by " + approval.get("decided_by").asText()
                + (approval.path("reason").asText().isEmpty() ? "" : " (" + approval.get("reason").asText() + ")") : "";
    }

    private static ObjectNode outcome(String status, String subject, String message) {
        return JSON.createObjectNode().put("status", status).put("subject", snsSubject(subject)).put("message", message);
    }

    /** {@code subject} as SNS accepts it: at most 100 printable ASCII characters. */
    static String snsSubject(String subject) {
        String safeSubject = subject.replaceAll("[^\\x20-\\x7E]", "?");
        return safeSubject.length() > 100 ? safeSubject.substring(0, 100) : safeSubject;
    }

    /** The message of a caught error: the cause is our JSON ({@code message}, {@code run_id}) or plain text. */
    static String causeMessage(JsonNode error) {
        String cause = error.path("Cause").asText("");
        JsonNode parsed = cause(error);
        return parsed.has("message") ? parsed.get("message").asText() : cause.isEmpty() ? "no cause given" : cause;
    }

    private static String causeRunId(JsonNode error) {
        return cause(error).path("run_id").asText("");
    }

    /**
     * The cause as JSON: the task's own {@code {"message", "run_id"}}, locally as is, and in AWS inside Lambda's
     * {@code {"errorMessage", "errorType", ...}}.
     */
    private static JsonNode cause(JsonNode error) {
        JsonNode parsed = parse(error.path("Cause").asText(""));
        if (parsed.has("errorMessage")) {
            JsonNode inner = parse(parsed.get("errorMessage").asText());
            return inner.has("message") ? inner : JSON.createObjectNode().put("message",
                    parsed.get("errorMessage").asText());
        }
        return parsed;
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed != null && parsed.isObject() ? parsed : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String actor(String execution) {
        return "pipeline:" + execution;
    }
}
