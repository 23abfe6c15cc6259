package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.pipeline.tuning.Trial;
import io.capstan.pipeline.tuning.TrialSearch;
import io.capstan.pipeline.tuning.TuningSettings;
import io.capstan.storage.KeyPrefixes;
import io.capstan.tracking.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The hyperparameter search's tasks: plan the first round, prepare each trial (its child run and training job),
 * score a trained trial on the validation rows, record a failed one, and after each round either plan the next
 * (halving) or pick the winner, whose model the pipeline then evaluates, registers and gates as any other.
 *
 * <p>Each trial is a run in the model's experiment with {@code mlflow.parentRunId} set to the execution's run, as
 * MLflow's own tuning integrations record trials; the execution's run gets the search's settings as parameters and
 * the winner's hyperparameters ({@code tuning.best.<name>}), run id and objective.
 */
final class TuningTasks {
    static final String PARENT_TAG = "mlflow.parentRunId";
    static final String TRIAL_KEY_TAG = "capstan.tuning.trial_key";
    /** The longest cause of a failed trial in the execution's state. */
    static final int MAX_CAUSE = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineServices services;
    private final RunRecorder runs;

    TuningTasks(PipelineServices services) {
        this.services = services;
        this.runs = new RunRecorder(services.tracking(), services.clock());
    }

    /** {@code plan_trials}: the first round's trials, from the execution's plan. */
    JsonNode planTrials(JsonNode state) {
        TuningSettings search = search(state.path("tuning"));
        ObjectNode round = JSON.createObjectNode().put("round", 0).put("done", false).put("trials_run", 0)
                .put("trials_failed", 0);
        round.set("trials", trials(TrialSearch.firstRound(search)));
        round.putObject("best");
        return round;
    }

    /**
     * {@code prepare_trial}: the trial's run (created once: a retried task finds the run it created) with its
     * hyperparameters as parameters, and its training job, shaped as the execution's own.
     */
    JsonNode prepareTrial(JsonNode state) {
        JsonNode search = state.path("search");
        Trial trial = trial(state.path("trial"));
        String model = search.path("model_name").asText();
        String execution = search.path("execution").asText();
        PipelineSettings settings = settings(search.path("tuning"));
        Map<String, String> hyperparameters = new LinkedHashMap<>(settings.hyperparameters());
        hyperparameters.put("feature_columns", String.join(",", texts(search.path("features"))));
        hyperparameters.putAll(trial.hyperparameters());

        String runId = trialRun(search, execution, trial);
        runs.params(runId, hyperparameters);
        String prefix = KeyPrefixes.PIPELINE + model + "/" + execution + "/trials/" + trial.runName();
        ObjectNode training = TrainingJobPlan.of(settings, model, execution + "-" + trial.runName(), hyperparameters,
                search.at("/tuning/train_uri").asText(), search.at("/tuning/validation_uri").asText(), prefix,
                services);
        ObjectNode out = JSON.createObjectNode().put("run_id", runId);
        out.set("training", training);
        return out;
    }

    /** {@code score_trial}: the trained trial scored on the validation rows with ONNX Runtime; its run finishes. */
    JsonNode scoreTrial(JsonNode state) {
        JsonNode search = state.path("search");
        Trial trial = trial(state.path("trial"));
        String runId = state.at("/prepared/run_id").asText();
        String modelUri = state.at("/trained/model_uri").asText(state.at("/prepared/training/model_output_uri")
                .asText());
        EvaluateTask.TrainedModel trained = EvaluateTask.TrainedModel.load(services, modelUri, runId);
        String labelColumn = search.path("label_column").asText();
        LabelledDataset validation = EvaluateTask.dataset(services, search.at("/tuning/validation_uri").asText()
                + "validation.csv", runId);
        ClassificationScores scores;
        try {
            scores = services.evaluation().score(trained.files().model(), trained.card(), validation, labelColumn);
        } catch (TaskFailure e) {
            throw new TaskFailure(e.errorName(), e.getMessage(), runId);
        }
        Map<String, Double> metrics = new TreeMap<>();
        scores.asMap().forEach((name, value) -> metrics.put("validation_" + name, value));
        runs.metrics(runId, metrics);
        runs.tags(runId, Map.of("capstan.tuning.model_uri", modelUri));
        runs.finish(runId, "scored");
        double objective = scores.metric(search.at("/tuning/objective").asText());
        // the outcome travels in the execution's state with every other trial's: the scores stay on the trial's run
        return outcome(trial, runId, "succeeded").put("objective", objective).put("model_uri", modelUri)
                .put("job_name", state.at("/prepared/training/job_name").asText());
    }

    /** {@code fail_trial}: the trial's failure, on its run when it has one; the search goes on. */
    JsonNode failTrial(JsonNode state) {
        Trial trial = trial(state.path("trial"));
        String runId = state.at("/prepared/run_id").asText("");
        String error = state.at("/error/Error").asText("States.TaskFailed");
        String cause = message(state.at("/error/Cause").asText(""));
        runs.fail(runId, error + ": " + cause);
        return outcome(trial, runId, "failed").put("error", error).put("cause", shortened(cause));
    }

    /**
     * {@code select_trials}: after a round, the next round (halving) or the winner, recorded on the execution's run.
     *
     * @throws TaskFailure {@code TuningFailed} when every trial failed
     */
    JsonNode selectTrials(JsonNode state) {
        TuningSettings search = search(state.path("tuning"));
        String parentRunId = state.path("run_id").asText();
        JsonNode previous = state.path("tuning_round");
        Map<String, JsonNode> outcomes = new LinkedHashMap<>();
        List<TrialSearch.Result> results = new ArrayList<>();
        int failed = 0;
        for (JsonNode outcome : state.path("tuning_results")) {
            Trial trial = trial(outcome);
            boolean succeeded = outcome.path("status").asText().equals("succeeded");
            failed += succeeded ? 0 : 1;
            outcomes.put(trial.runName(), outcome);
            results.add(new TrialSearch.Result(trial, succeeded ? OptionalDouble.of(outcome.path("objective")
                    .asDouble()) : OptionalDouble.empty()));
        }
        JsonNode earlierBest = previous.path("best");
        Optional<TrialSearch.Result> bestEarlier = earlierBest.has("number") ? Optional.of(new TrialSearch.Result(
                trial(earlierBest), OptionalDouble.of(earlierBest.path("objective").asDouble()))) : Optional.empty();
        int run = previous.path("trials_run").asInt() + results.size();
        int failedSoFar = previous.path("trials_failed").asInt() + failed;
        ObjectNode next = JSON.createObjectNode().put("trials_run", run).put("trials_failed", failedSoFar);
        TrialSearch.Next decided = TrialSearch.next(search, results, bestEarlier);
        if (decided instanceof TrialSearch.Next.Round round) {
            next.put("round", previous.path("round").asInt() + 1).put("done", false);
            next.set("trials", trials(round.trials()));
            next.set("best", outcomes.get(round.best().trial().runName()));
            return next;
        }
        if (decided instanceof TrialSearch.Next.Finished finished) {
            JsonNode best = outcomes.getOrDefault(finished.best().trial().runName(), earlierBest);
            recordWinner(parentRunId, search, best, run, failedSoFar);
            next.put("round", previous.path("round").asInt()).put("done", true).putArray("trials");
            next.set("best", best);
            return next;
        }
        String first = results.stream().map(r -> outcomes.get(r.trial().runName()).path("cause").asText())
                .findFirst().orElse("none ran");
        throw new TaskFailure("TuningFailed", "All " + ((TrialSearch.Next.AllFailed) decided).failed()
                + " trials of the search failed; the first: " + first, parentRunId);
    }

    /**
     * {@code record_tuning_job}: the training jobs of SageMaker's tuning job, each recorded as a trial (a child run
     * with its hyperparameters, its final objective or its failure), and the job SageMaker chose as the candidate.
     *
     * @throws TaskFailure {@code TuningFailed} when the tuning job does not list the job it chose
     */
    JsonNode recordTuningJob(JsonNode state) {
        TuningSettings search = search(state.path("tuning"));
        String parentRunId = state.path("run_id").asText();
        String execution = state.path("execution").asText();
        String tuningJob = state.at("/tuned/tuning_job").asText();
        String chosen = state.at("/tuned/best_job").asText();
        Map<String, String> statics = new LinkedHashMap<>();
        state.at("/tuning/sagemaker/static_hyperparameters").properties().forEach(e -> statics.put(e.getKey(),
                e.getValue().asText()));
        ObjectNode context = JSON.createObjectNode().put("experiment_id", state.path("experiment_id").asText())
                .put("parent_run_id", parentRunId);
        List<TuningJobs.TrainingJob> jobs = services.tuningJobs().trainingJobs(tuningJob);
        JsonNode best = null;
        int failed = 0;
        for (int i = 0; i < jobs.size(); i++) {
            TuningJobs.TrainingJob job = jobs.get(i);
            Trial trial = new Trial(i + 1, 0, job.tuned());
            String runId = trialRun(context, execution, trial);
            Map<String, String> params = new LinkedHashMap<>(statics);
            params.putAll(job.tuned());
            runs.params(runId, params);
            runs.tags(runId, Map.of("capstan.tuning.training_job", job.name()));
            ObjectNode outcome;
            if (job.objective().isPresent()) {
                runs.metrics(runId, Map.of("validation_" + search.objective(), job.objective().getAsDouble()));
                runs.finish(runId, "scored");
                outcome = outcome(trial, runId, "succeeded").put("objective", job.objective().getAsDouble());
            } else {
                failed++;
                runs.fail(runId, job.status() + ": " + job.failureReason());
                outcome = outcome(trial, runId, "failed").put("cause", shortened(job.failureReason()));
            }
            outcome.put("job_name", job.name()).put("model_uri", state.at("/training/output_uri").asText() + job.name()
                    + "/output/model.tar.gz");
            if (job.name().equals(chosen)) {
                best = outcome;
            }
        }
        if (best == null || !best.has("objective")) {
            throw new TaskFailure("TuningFailed", "SageMaker's tuning job " + tuningJob + " chose training job '"
                    + chosen + "', which it does not list as completed", parentRunId);
        }
        recordWinner(parentRunId, search, best, jobs.size(), failed);
        return JSON.createObjectNode().put("model_uri", best.path("model_uri").asText())
                .put("job_name", best.path("job_name").asText());
    }

    private void recordWinner(String parentRunId, TuningSettings search, JsonNode best, int run, int failed) {
        Map<String, String> params = new TreeMap<>();
        best.path("hyperparameters").properties().forEach(e -> params.put("tuning.best." + e.getKey(),
                e.getValue().asText()));
        runs.params(parentRunId, params);
        runs.tags(parentRunId, Map.of("capstan.tuning.best_trial", trial(best).runName(),
                "capstan.tuning.best_run_id", best.path("run_id").asText(),
                "capstan.tuning.trials", run + " run, " + failed + " failed"));
        runs.metrics(parentRunId, Map.of("tuning_best_validation_" + search.objective(),
                best.path("objective").asDouble()));
    }

    private String trialRun(JsonNode search, String execution, Trial trial) {
        String experimentId = search.path("experiment_id").asText();
        String key = execution + "/" + trial.runName();
        Optional<Run> existing = runs.findByTag(experimentId, TRIAL_KEY_TAG, key);
        if (existing.isPresent()) {
            return existing.get().info().runId();
        }
        Map<String, String> tags = new TreeMap<>();
        tags.put(PARENT_TAG, search.path("parent_run_id").asText());
        tags.put(TRIAL_KEY_TAG, key);
        tags.put("capstan.tuning.execution", execution);
        tags.put("capstan.tuning.trial", Integer.toString(trial.number()));
        tags.put("capstan.tuning.round", Integer.toString(trial.round()));
        tags.put("mlflow.source.name", "capstan-pipeline");
        return services.tracking().createRun(experimentId, "pipeline", trial.runName(), null, tags).info().runId();
    }

    private static ObjectNode outcome(Trial trial, String runId, String status) {
        ObjectNode out = JSON.createObjectNode().put("number", trial.number()).put("round", trial.round())
                .put("run_id", runId).put("status", status);
        ObjectNode values = out.putObject("hyperparameters");
        trial.hyperparameters().forEach(values::put);
        return out;
    }

    private static ArrayNode trials(List<Trial> trials) {
        ArrayNode out = JSON.createArrayNode();
        trials.forEach(t -> {
            ObjectNode item = out.addObject().put("number", t.number()).put("round", t.round());
            ObjectNode values = item.putObject("hyperparameters");
            t.hyperparameters().forEach(values::put);
        });
        return out;
    }

    private static Trial trial(JsonNode node) {
        Map<String, String> values = new TreeMap<>();
        node.path("hyperparameters").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return new Trial(node.path("number").asInt(), node.path("round").asInt(), values);
    }

    private static PipelineSettings settings(JsonNode tuning) {
        Map<String, String> values = new TreeMap<>();
        tuning.path("settings").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return new PipelineSettings(values);
    }

    private static TuningSettings search(JsonNode tuning) {
        return settings(tuning).tuning().orElseThrow(() -> new TaskFailure("RequestInvalid", "the execution asks for"
                + " no search (tuning.strategy none)", ""));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    /**
     * A cause as the execution's state carries it: at most {@value #MAX_CAUSE} characters (the whole cause is on the
     * trial's run), so that 200 failed trials stay far inside Step Functions' 256 KiB.
     */
    private static String shortened(String cause) {
        return cause.length() <= MAX_CAUSE ? cause : cause.substring(0, MAX_CAUSE - 3) + "...";
    }

    /**
     * A task's cause as a person reads it: of a JSON cause, its {@code message}, Lambda's {@code errorMessage},
     * SageMaker's {@code FailureReason} or Batch's {@code StatusReason}.
     */
    private static String message(String cause) {
        try {
            JsonNode parsed = JSON.readTree(cause);
            if (parsed != null && parsed.isObject()) {
                for (String field : List.of("message", "errorMessage", "FailureReason", "StatusReason")) {
                    if (parsed.path(field).isTextual()) {
                        // Lambda's errorMessage of a failed task is the task's own JSON cause: read it once more
                        String text = parsed.path(field).asText();
                        return field.equals("errorMessage") ? message(text) : text;
                    }
                }
            }
        } catch (IOException e) {
            // not JSON: the text as it is
        }
        return cause;
    }
}
