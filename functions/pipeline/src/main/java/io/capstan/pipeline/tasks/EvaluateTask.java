package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.model.InvalidModelCardException;
import io.capstan.model.ModelCard;
import io.capstan.profile.DatasetProfile;
import io.capstan.registration.SourceFiles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Scores the trained model, and the champion the validation step found, on the same rows with ONNX Runtime: the
 * model's reference evaluation set when it has one (the holdout of the dataset that made its first champion, kept
 * so that a degraded upload cannot grade itself), otherwise this dataset's holdout. Copies the trained model into
 * the run's artifacts (the registration source {@code runs:/<run>/model}) and logs every score on the run.
 */
final class EvaluateTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineServices services;
    private final RunRecorder runs;

    EvaluateTask(PipelineServices services) {
        this.services = services;
        this.runs = new RunRecorder(services.tracking(), services.clock());
    }

    JsonNode run(JsonNode state) {
        String runId = state.path("run_id").asText();
        TrainedModel trained = TrainedModel.load(services, state.at("/trained/model_uri").asText(), runId);
        ModelCard card = trained.card();
        String root = services.tracking().getRun(runId).info().artifactUri().substring("mlflow-artifacts:/".length());
        services.artifacts().put(root + "/model/model.onnx", trained.files().model());
        services.artifacts().put(root + "/model/" + ModelCard.FILE_NAME, trained.files().card());
        if (trained.files().profile() != null) {
            // the reference profile drift checks compare the model's traffic with
            services.artifacts().put(root + "/model/" + DatasetProfile.FILE_NAME, trained.files().profile());
        }

        String labelColumn = state.at("/dataset/label_column").asText();
        LabelledDataset holdout = dataset(services, state.path("holdout_uri").asText(), runId);
        String referenceUri = state.path("reference_holdout_uri").asText("");
        LabelledDataset evaluationSet = referenceUri.isEmpty() ? holdout : dataset(services, referenceUri, runId);
        Map<String, Double> logged = new LinkedHashMap<>();
        ClassificationScores onHoldout = score(trained.files().model(), card, holdout, labelColumn, runId);
        onHoldout.asMap().forEach((k, v) -> logged.put("holdout_" + k, v));
        ClassificationScores candidate = referenceUri.isEmpty() ? onHoldout
                : score(trained.files().model(), card, evaluationSet, labelColumn, runId);

        ObjectNode out = JSON.createObjectNode().put("model_source", "runs:/" + runId + "/model")
                .put("evaluation_set", referenceUri.isEmpty() ? "holdout" : "reference");
        out.set("candidate", scores(candidate));
        out.set("holdout_candidate", scores(onHoldout));
        if (!referenceUri.isEmpty()) {
            candidate.asMap().forEach((k, v) -> logged.put("reference_" + k, v));
        }
        Optional<ValidateTask.ChampionModel> champion = champion(state);
        champion.ifPresent(c -> {
            ClassificationScores theirs = score(c.onnx(), c.card(), evaluationSet, labelColumn, runId);
            theirs.asMap().forEach((k, v) -> logged.put("champion_" + (referenceUri.isEmpty() ? "holdout_"
                    : "reference_") + k, v));
            out.set("champion", scores(theirs).put("version", Long.toString(c.version())));
        });
        runs.metrics(runId, logged);
        return out;
    }

    /** The labelled rows at {@code uri} in the artifact bucket. */
    static LabelledDataset dataset(PipelineServices services, String uri, String runId) {
        String prefix = "s3://" + services.artifactBucket() + "/";
        byte[] csv = ValidateTask.read(services.artifacts(), uri.substring(prefix.length()))
                .orElseThrow(() -> new TaskFailure("EvaluationFailed", "the evaluation rows " + uri + " are gone", runId));
        return LabelledDataset.parse(csv, uri);
    }

    /**
     * A trained model's files and card, where its training job left them in the artifact bucket.
     *
     * @param files the model, its card and its reference profile
     * @param card  the card, read
     */
    record TrainedModel(SourceFiles.Found files, ModelCard card) {
        static TrainedModel load(PipelineServices services, String modelUri, String runId) {
            String prefix = "s3://" + services.artifactBucket() + "/";
            if (!modelUri.startsWith(prefix)) {
                throw new TaskFailure("EvaluationFailed", "the trained model is at '" + modelUri + "', outside the "
                        + "artifact bucket " + prefix, runId);
            }
            SourceFiles.Lookup lookup = new SourceFiles(services.artifacts()).find(modelUri.substring(prefix.length()));
            if (lookup instanceof SourceFiles.Missing missing) {
                throw new TaskFailure("EvaluationFailed", "training left no model: " + missing.reason(), runId);
            }
            SourceFiles.Found found = (SourceFiles.Found) lookup;
            try {
                return new TrainedModel(found, ModelCard.fromJson(found.card()));
            } catch (InvalidModelCardException e) {
                throw new TaskFailure("EvaluationFailed", e.getMessage(), runId);
            }
        }
    }

    private ClassificationScores score(byte[] onnx, ModelCard card, LabelledDataset rows, String labelColumn,
                                       String runId) {
        try {
            return services.evaluation().score(onnx, card, rows, labelColumn);
        } catch (TaskFailure e) {
            throw new TaskFailure(e.errorName(), e.getMessage(), runId);
        }
    }

    private Optional<ValidateTask.ChampionModel> champion(JsonNode state) {
        String version = state.path("champion_version").asText();
        if (version.isEmpty()) {
            return Optional.empty();
        }
        return ValidateTask.ChampionModel.load(services.registry().getModelVersion(state.path("model_name").asText(),
                version), services.artifacts());
    }

    static ObjectNode scores(ClassificationScores s) {
        return JSON.createObjectNode().put("accuracy", s.accuracy()).put("log_loss", s.logLoss())
                .put("macro_f1", s.macroF1()).put("rows", s.rows());
    }

    static ClassificationScores scores(JsonNode node) {
        return new ClassificationScores(node.get("accuracy").asDouble(), node.get("log_loss").asDouble(),
                node.get("macro_f1").asDouble(), node.get("rows").asInt());
    }
}
