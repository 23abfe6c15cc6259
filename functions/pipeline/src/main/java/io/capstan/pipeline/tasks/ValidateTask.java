package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.pipeline.tuning.TuningSettings;
import io.capstan.provenance.Sha256;
import io.capstan.registration.SourceFiles;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.storage.KeyPrefixes;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.Dataset;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline's first step: reads the request and the model's settings, records a tracking run with the dataset
 * as its input, checks the dataset against the champion's model card (or the requested columns), splits off a
 * holdout the trainer never sees, and plans the training job. A dataset that fails a check fails the execution
 * here, with the problem on the run, and nothing is trained or registered.
 */
final class ValidateTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineServices services;
    private final RunRecorder runs;

    ValidateTask(PipelineServices services) {
        this.services = services;
        this.runs = new RunRecorder(services.tracking(), services.clock());
    }

    JsonNode run(JsonNode request, String execution) {
        PipelineRequest req = request(request);
        // everything the request and the model's tags decide is checked before anything is written
        Optional<RegisteredModel> existing = existingModel(req.modelName());
        PipelineSettings settings = settings(existing.map(RegisteredModel::tags).orElse(Map.of()), req);
        RegisteredModel model;
        if (existing.isPresent()) {
            model = existing.get();
        } else {
            model = createModel(req.modelName());
            // another execution may have created it first, with tags of its own
            settings = settings(model.tags(), req);
        }
        Optional<ChampionModel> champion = champion(model);
        Run run = runs.start(req.modelName(), execution, req.trigger());
        String runId = run.info().runId();
        try {
            return plan(req, settings, champion, run, execution);
        } catch (TaskFailure e) {
            runs.fail(runId, e.getMessage());
            throw new TaskFailure(e.errorName(), e.getMessage(), runId);
        } catch (CapstanException e) {
            runs.fail(runId, e.getMessage());
            throw new TaskFailure("RequestInvalid", e.getMessage(), runId);
        }
    }

    /** The request, naming a dataset in the dataset bucket: the only bucket the pipeline reads or may read. */
    private PipelineRequest request(JsonNode request) {
        try {
            PipelineRequest req = PipelineRequest.fromJson(request);
            String bucket = services.datasets().bucket();
            if (!req.datasetBucket().equals(bucket)) {
                throw CapstanException.invalidParameter("The dataset " + req.datasetUri() + " is in bucket '"
                        + req.datasetBucket() + "'; the pipeline trains only on datasets in the dataset bucket '"
                        + bucket + "': upload it there and give s3://" + bucket + "/<key>.");
            }
            return req;
        } catch (CapstanException e) {
            throw new TaskFailure("RequestInvalid", e.getMessage(), "");
        }
    }

    private static PipelineSettings settings(Map<String, String> modelTags, PipelineRequest req) {
        try {
            return PipelineSettings.resolve(modelTags, req.settings()).validate();
        } catch (CapstanException e) {
            throw new TaskFailure("RequestInvalid", e.getMessage(), "");
        }
    }

    private ObjectNode plan(PipelineRequest req, PipelineSettings settings, Optional<ChampionModel> champion, Run run,
                            String execution) {
        String runId = run.info().runId();
        byte[] csv = services.datasets().read(req.datasetKey(), req.datasetVersion()).orElseThrow(() ->
                LabelledDataset.invalid("There is no dataset at " + req.datasetUri() + (req.datasetVersion().isEmpty()
                        ? "" : " in version '" + req.datasetVersion() + "' (the version the request names)")));
        String sha256 = sha256(csv);
        String labelColumn = settings.hyperparameters().get("label_column");
        services.tracking().logInputs(runId, List.of(new DatasetInput(new Dataset(datasetName(req.datasetKey()),
                sha256, "s3", JSON.createObjectNode().put("uri", req.datasetUri()).put("version_id",
                        req.datasetVersion()).toString(), null, null), Map.of("mlflow.data.context", "training"))));

        LabelledDataset data = LabelledDataset.parse(csv, req.datasetUri());
        List<String> requested = settings.hyperparameters().containsKey("feature_columns")
                ? List.of(settings.hyperparameters().get("feature_columns").split("\\s*,\\s*")) : List.of();
        List<String> features = new DatasetCheck(labelColumn,
                champion.map(c -> c.card().features()).orElse(requested),
                settings.minimumRows(), settings.minimumClassShare()).check(data, req.datasetUri());
        HoldoutSplit split = HoldoutSplit.of(data, labelColumn, settings.holdoutFraction(), settings.seed());
        String prefix = KeyPrefixes.PIPELINE + req.modelName() + "/" + execution;
        services.artifacts().put(prefix + "/train/train.csv", data.toCsv(split.train()));
        services.artifacts().put(prefix + "/holdout/holdout.csv", data.toCsv(split.holdout()));

        Map<String, String> hyperparameters = new LinkedHashMap<>(settings.hyperparameters());
        hyperparameters.put("feature_columns", String.join(",", features));
        runs.params(runId, hyperparameters);
        runs.tags(runId, Map.of("capstan.dataset.sha256", sha256, "capstan.dataset.uri", req.datasetUri()));

        ObjectNode plan = JSON.createObjectNode().put("execution", execution).put("model_name", req.modelName())
                .put("run_id", runId).put("experiment_id", run.info().experimentId()).put("trigger", req.trigger())
                .put("champion_version", champion.map(c -> Long.toString(c.version())).orElse(""))
                .put("train_uri", s3(prefix + "/train/")).put("holdout_uri", s3(prefix + "/holdout/holdout.csv"))
                .put("reference_holdout_uri", services.artifacts().get(referenceKey(req.modelName())).isPresent()
                        ? s3(referenceKey(req.modelName())) : "");
        ObjectNode dataset = plan.putObject("dataset").put("uri", req.datasetUri()).put("version", req.datasetVersion())
                .put("sha256", sha256).put("rows", data.rows().size()).put("train_rows", split.train().size())
                .put("holdout_rows", split.holdout().size()).put("label_column", labelColumn);
        ObjectNode counts = dataset.putObject("label_counts");
        data.labelCounts(labelColumn).forEach(counts::put);
        features.forEach(dataset.putArray("features")::add);
        plan.set("training", TrainingJobPlan.of(settings, req.modelName(), execution, hyperparameters, prefix, services));
        plan.put("batch_queue", "");
        plan.set("tuning", tuning(settings, data, split, hyperparameters, prefix, runId, req.modelName(), execution));
        plan.putObject("gate").put("metric", settings.text("gate.metric")).put("threshold",
                settings.number("gate.threshold")).put("margin", settings.number("gate.margin"))
                .put("manual_approval", settings.flag("gate.manual_approval"));
        return plan;
    }

    /**
     * The search the settings ask for, if any: the training rows split again (stratified, with the search's seed)
     * into the rows every trial trains on and the validation rows every trial is scored on, so that the holdout
     * still grades only the winner. The {@code tuning.*} settings become parameters of the execution's run.
     */
    private ObjectNode tuning(PipelineSettings settings, LabelledDataset data, HoldoutSplit split,
                              Map<String, String> hyperparameters, String prefix, String runId, String model,
                              String execution) {
        Optional<TuningSettings> tuning = settings.tuning();
        String engine = settings.tuningEngine();
        ObjectNode node = JSON.createObjectNode().put("enabled", tuning.isPresent()).put("engine", engine);
        if (tuning.isEmpty()) {
            return node;
        }
        String labelColumn = hyperparameters.get("label_column");
        TuningSettings search = tuning.get();
        HoldoutSplit inner = HoldoutSplit.of(new LabelledDataset(data.columns(), split.train()), labelColumn,
                search.validationFraction(), search.seed());
        services.artifacts().put(prefix + "/tuning/train/train.csv", data.toCsv(inner.train()));
        services.artifacts().put(prefix + "/tuning/validation/validation.csv", data.toCsv(inner.holdout()));
        Map<String, String> recorded = new LinkedHashMap<>();
        settings.tuningSettings().forEach((key, value) -> {
            if (!value.isBlank()) {
                recorded.put(key, value);
            }
        });
        runs.params(runId, recorded);
        node.put("strategy", search.strategy().id()).put("max_parallel", search.maxParallel())
                .put("objective", search.objective()).put("maximize", search.maximize())
                .put("train_uri", s3(prefix + "/tuning/train/")).put("validation_uri", s3(prefix + "/tuning/validation/"))
                .put("train_rows", inner.train().size()).put("validation_rows", inner.holdout().size());
        ObjectNode all = node.putObject("settings");
        settings.values().forEach(all::put);
        if (engine.equals(PipelineSettings.SAGEMAKER_ENGINE)) {
            node.set("sagemaker", SageMakerTuningJob.plan(search, hyperparameters, model, execution,
                    TrainingJobPlan.sageMakerTaskTimeout(settings.maxRuntimeSeconds())));
        }
        return node;
    }

    private Optional<RegisteredModel> existingModel(String name) {
        try {
            return Optional.of(services.registry().getRegisteredModel(name));
        } catch (CapstanException e) {
            if (e.errorCode() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw new TaskFailure("RequestInvalid", e.getMessage(), "");
            }
            return Optional.empty();
        }
    }

    private RegisteredModel createModel(String name) {
        try {
            return services.registry().createRegisteredModel(name, "Trained by Capstan's retraining pipeline",
                    Map.of());
        } catch (CapstanException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_ALREADY_EXISTS) {
                return services.registry().getRegisteredModel(name);
            }
            throw new TaskFailure("RequestInvalid", e.getMessage(), "");
        }
    }

    /** The champion and its card, read from the registry's copy. */
    private Optional<ChampionModel> champion(RegisteredModel model) {
        Optional<Long> version = model.alias(ModelSelector.CHAMPION);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        ModelVersion champion = services.registry().getModelVersion(model.name(), Long.toString(version.get()));
        return ChampionModel.load(champion, services.artifacts());
    }

    /**
     * The model's reference evaluation set: the holdout of the dataset that made its first champion, or rows a team
     * uploads there itself (a CSV with the label column and the champion's features).
     */
    static String referenceKey(String model) {
        return KeyPrefixes.PIPELINE + model + "/reference-holdout.csv";
    }

    private String s3(String key) {
        return "s3://" + services.artifactBucket() + "/" + key;
    }

    static Optional<byte[]> read(ArtifactStore store, String key) {
        return store.get(key).map(content -> {
            try (InputStream in = content.stream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + key, e);
            }
        });
    }

    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    private static String datasetName(String key) {
        String file = key.substring(key.lastIndexOf('/') + 1);
        return file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    }

    /**
     * A champion with its model file and card.
     *
     * @param version the champion's version number
     * @param onnx    its model file
     * @param card    its card
     */
    record ChampionModel(long version, byte[] onnx, ModelCard card) {
        static Optional<ChampionModel> load(ModelVersion version, ArtifactStore artifacts) {
            String location = version.storageLocation();
            if (!version.isReady() || !location.startsWith("mlflow-artifacts:/")) {
                return Optional.empty();
            }
            SourceFiles.Lookup found = new SourceFiles(artifacts).find(location.substring("mlflow-artifacts:/".length()));
            if (!(found instanceof SourceFiles.Found files)) {
                return Optional.empty();
            }
            return Optional.of(new ChampionModel(version.version(), files.model(), ModelCard.fromJson(files.card())));
        }
    }
}
