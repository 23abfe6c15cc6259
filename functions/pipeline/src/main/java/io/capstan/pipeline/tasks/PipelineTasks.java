package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;

/**
 * The state machine's Lambda tasks as one entry point: {@code {"task": "validate" | "plan_trials" |
 * "prepare_trial" | "score_trial" | "fail_trial" | "select_trials" | "record_tuning_job" | "evaluate" | "register" |
 * "gate" | "await_approval" | "promote" | "reject" | "record_failure", ...}} in, the task's result out. The same
 * code answers Step Functions in AWS (through the tasks function) and the local interpreter.
 */
public final class PipelineTasks {
    private final ValidateTask validate;
    private final EvaluateTask evaluate;
    private final DecisionTasks decisions;
    private final TuningTasks tuning;

    public PipelineTasks(PipelineServices services) {
        this.validate = new ValidateTask(services);
        this.evaluate = new EvaluateTask(services);
        this.decisions = new DecisionTasks(services);
        this.tuning = new TuningTasks(services);
    }

    /**
     * Runs one task.
     *
     * @throws TaskFailure when the task fails in a way the state machine catches (its error name says which)
     */
    public JsonNode run(JsonNode payload) {
        String task = payload.path("task").asText();
        JsonNode state = payload.path("state");
        try {
            return switch (task) {
                case "validate" -> validate.run(payload.path("request"), payload.path("execution").asText());
                case "plan_trials" -> tuning.planTrials(state);
                case "prepare_trial" -> tuning.prepareTrial(state);
                case "score_trial" -> tuning.scoreTrial(state);
                case "fail_trial" -> tuning.failTrial(state);
                case "select_trials" -> tuning.selectTrials(state);
                case "record_tuning_job" -> tuning.recordTuningJob(state);
                case "evaluate" -> evaluate.run(state);
                case "register" -> decisions.register(state);
                case "gate" -> decisions.gate(state);
                case "await_approval" -> decisions.awaitApproval(state, payload.path("token").asText());
                case "promote" -> decisions.promote(state);
                case "reject" -> decisions.reject(state);
                case "record_failure" -> decisions.recordFailure(state, payload.path("execution").asText());
                default -> throw new TaskFailure("UnknownTask", "no pipeline task '" + task + "'", "");
            };
        } catch (CapstanException e) {
            if (e.retryable()) {
                throw new TemporarilyUnavailable(e.getMessage(), e);
            }
            throw new TaskFailure(e.errorCode().name(), e.getMessage(), state.path("run_id").asText(""));
        }
    }
}
