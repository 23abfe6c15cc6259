package io.capstan.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.internal.EmbeddedS3;
import io.capstan.local.quality.LocalQualityAlarms;
import io.capstan.local.training.TrainerProcess;
import io.capstan.local.training.TrainingOutcome;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.pipeline.DatasetUploads;
import io.capstan.predict.registry.RegistryModelResolver;
import io.capstan.quality.QualityPolicy;
import io.capstan.storage.BucketDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.RunsPage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The end-to-end demo's client, run by {@code scripts/demo.sh} against a running embedded platform, as a user would
 * drive it: trains a classifier with Capstan's trainer (a local process on the SageMaker contract) and tracks it
 * through MLflow's Java client; registers it with provenance, promotes it and predicts through both protocols; puts
 * a challenger on a 90/10 canary and rolls a promotion back; uploads the data set and follows the retraining
 * pipeline it starts; sends shifted traffic until the scheduled drift check flags it and starts retraining; and
 * uploads a degraded copy the gate rejects. Exits 0 when every step worked.
 */
@Command(name = "capstan-demo", mixinStandardHelpOptions = true,
        description = "Runs Capstan's end-to-end demo against a running platform.")
public final class Demo implements Callable<Integer> {
    static final String EXPERIMENT = "breast-cancer";
    /** The model registered by hand, served, put on a canary and rolled back. */
    static final String SERVED_MODEL = "breast-cancer-classifier";
    /** The model the pipeline trains from uploads and the drift check watches. */
    static final String RETRAINED_MODEL = "breast-cancer-auto";
    /** States of a search's trials the demo counts instead of listing, with what it prints. */
    private static final Map<String, String> TRIAL_PROGRESS = Map.of("TrainTrialOnSageMaker",
            "trial training: %d started", "TrainTrialOnBatch", "trial training: %d started", "ScoreTrial",
            "trial scored: %d done", "TrialFailed", "trial failed: %d so far");
    private static final Set<String> TRIAL_STATES = Set.of("PrepareTrial", "ChooseTrialPlatform");
    /** The model a hyperparameter search trains. */
    static final String TUNED_MODEL = "breast-cancer-tuned";
    /** The model whose 50/50 canary gets labelled traffic and a quality report. */
    static final String QUALITY_MODEL = "breast-cancer-ab";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PIPELINE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DRIFT_TIMEOUT = Duration.ofMinutes(3);
    private static final int CANARY_REQUESTS = 400;
    private static final int SHIFTED_ROWS = 2000;
    private static final int BATCH = 250;
    private static final String STARTED = "retraining started: execution ";

    @Option(names = "--url", required = true, description = "The platform, e.g. http://127.0.0.1:5000")
    private URI url;

    @Option(names = "--s3-endpoint", required = true,
            description = "The platform's S3 endpoint (its log's 'S3Proxy ready at' line)")
    private URI s3Endpoint;

    @Option(names = "--data", required = true, description = "The training data (CSV with a header, label column 'label')")
    private Path data;

    @Option(names = "--platform-data-dir",
            description = "The platform's data directory, to show drift reports as files (default: only their URIs)")
    private Path platformDataDir;

    @Option(names = "--platform-log",
            description = "The platform's log, to show the quality alarm it raises (default: not shown)")
    private Path platformLog;

    @Option(names = "--commit", description = "The source commit recorded with the runs (mlflow.source.git.commit)")
    private String commit;

    @Option(names = "--trainer-classpath", description = "The trainer's classpath (default: the repository's build)")
    private String trainerClasspath;

    @Option(names = "--work-dir", description = "Where training folders go (default: a new temporary folder)")
    private Path workDir;

    private final PrintStream out;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private DemoConsole console;
    private PlatformCalls calls;
    private DemoData dataset;

    Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        console = new DemoConsole(out);
        calls = new PlatformCalls(url);
        dataset = DemoData.read(data);
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("capstan-demo");
        TrainerProcess trainer = trainerClasspath != null ? new TrainerProcess(trainerClasspath, 1800)
                : TrainerProcess.inRepository(Path.of("").toAbsolutePath());
        try (MlflowClient client = new MlflowClient(url.toString()); S3Client s3 = EmbeddedS3.client(s3Endpoint)) {
            MlflowRecorder recorder = new MlflowRecorder(url, client);
            String experimentId = recorder.experiment(EXPERIMENT);

            TrainingRecord first = train(trainer, work.resolve("train-1"), "20", "42");
            String firstRun = record(recorder, experimentId, "logistic-regression-seed-42", first);
            search(client, experimentId, firstRun);
            registerAndServe(firstRun);

            TrainingRecord second = train(trainer, work.resolve("train-2"), "2", "7");
            String secondRun = record(recorder, experimentId, "logistic-regression-2-epochs", second);
            canary(secondRun);
            promoteAndRollBack();
            qualityOfACanary(trainer, work, recorder, firstRun, s3);

            retrainOnUpload(s3);
            driftToRetraining();
            rejectDegradedUpload(s3);
            predictWithRetrainedChampion();
            batchPredictions(s3);
            hyperparameterSearch();
            degradationToRetraining(s3);
        }
        summary.put("console", url + "/ (experiments, runs, models, drift, pipelines)");
        out.printf("%nSummary%n");
        summary.forEach((what, value) -> out.printf("  %-22s %s%n", what, value));
        return 0;
    }

    // ---- tracking ----

    private TrainingRecord train(TrainerProcess trainer, Path mlRoot, String epochs, String seed) throws IOException {
        return train(trainer, mlRoot, epochs, seed, Map.of());
    }

    private TrainingRecord train(TrainerProcess trainer, Path mlRoot, String epochs, String seed,
                                 Map<String, String> more) throws IOException {
        console.step("Training a logistic regression on %s with Capstan's trainer (SageMaker contract, local process;"
                + " %s epochs, seed %s%s)", data.getFileName(), epochs, seed, more.isEmpty() ? "" : ", " + more);
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("algorithm", "logistic-regression");
        hyperparameters.put("epochs", epochs);
        hyperparameters.put("seed", seed);
        hyperparameters.putAll(more);
        TrainerProcess.prepare(mlRoot, hyperparameters, Map.of("train", data));
        TrainingOutcome outcome = trainer.train(mlRoot, console::progress);
        if (outcome instanceof TrainingOutcome.Failed failed) {
            throw new IllegalStateException("Training failed: " + failed.reason());
        }
        TrainingRecord training = TrainingRecord.read(((TrainingOutcome.Trained) outcome).modelDir());
        console.detail("validation accuracy %.4f", training.validationAccuracy());
        return training;
    }

    private String record(MlflowRecorder recorder, String experimentId, String runName, TrainingRecord training)
            throws IOException, InterruptedException {
        console.step("Recording the run through MLflow's Java client at %s", url);
        Map<String, String> tags = new TreeMap<>(Map.of("mlflow.source.name", "scripts/demo.sh",
                "capstan.algorithm", "logistic-regression"));
        if (commit != null && !commit.isBlank()) {
            tags.put("mlflow.source.git.commit", commit);
        }
        String runId = recorder.record(experimentId, runName, training, "breast_cancer", data.toAbsolutePath().toString(),
                tags, console);
        summary.putIfAbsent("run", runId + " (" + url + "/api/2.0/mlflow/runs/get?run_id=" + runId + ")");
        console.detail("in the console: %s/#/experiments/%s/runs/%s", url, experimentId, runId);
        return runId;
    }

    private void search(MlflowClient client, String experimentId, String runId) {
        console.step("Searching the experiment: metrics.validation_accuracy > 0.9");
        RunsPage found = client.searchRuns(List.of(experimentId), "metrics.validation_accuracy > 0.9",
                ViewType.ACTIVE_ONLY, 10, List.of("metrics.validation_accuracy DESC"));
        for (Run run : found.getItems()) {
            console.detail("%s  %-28s %s  validation_accuracy=%.4f", run.getInfo().getRunId(),
                    run.getInfo().getRunName(), run.getInfo().getStatus(), run.getData().getMetricsList().stream()
                            .filter(m -> m.getKey().equals("validation_accuracy")).findFirst().orElseThrow()
                            .getValue());
        }
        if (found.getItems().stream().noneMatch(r -> r.getInfo().getRunId().equals(runId))) {
            throw new IllegalStateException("the search did not find run " + runId);
        }
        summary.put("experiment", EXPERIMENT + " (id " + experimentId + ")");
    }

    // ---- registry and serving ----

    private void registerAndServe(String runId) throws IOException, InterruptedException {
        console.step("Registering the run's model as '%s' (MLflow registry API)", SERVED_MODEL);
        calls.post("/api/2.0/mlflow/registered-models/create", object().put("name", SERVED_MODEL).toString());
        String version = registerVersion(runId);
        JsonNode provenance = calls.get("/api/2.0/capstan/registry/model-versions/provenance?name=" + SERVED_MODEL
                + "&version=" + version).path("provenance");
        console.detail("provenance: model sha256 %s…, run %s", provenance.path("model_sha256").asText().substring(0, 12),
                provenance.path("source_run_id").asText());
        for (JsonNode d : provenance.path("datasets")) {
            console.detail("            dataset %s, digest %s…", d.path("name").asText(),
                    d.path("digest").asText().substring(0, 12));
        }
        console.detail("            trainer %s (seed %s), commit %s, ONNX Runtime %s, %d metrics",
                provenance.at("/trainer/algorithm").asText(), provenance.at("/trainer/seed").asText(),
                provenance.at("/code/commit").asText(), provenance.at("/runtime/onnx_runtime").asText(),
                provenance.path("metrics").size());
        console.detail("in the console: %s/#/models/%s/versions/%s", url, SERVED_MODEL, version);

        console.step("Promoting v%s to champion", version);
        promote(version, "champion", "demo: first model");

        console.step("Predicting with MLflow's scoring protocol: POST /models/%s/invocations (3 rows)", SERVED_MODEL);
        List<double[]> rows = dataset.rows().subList(0, 3);
        HttpResponse<String> scored = calls.predict("/models/" + SERVED_MODEL + "/invocations",
                dataset.dataframeSplit(rows), Map.of());
        List<String> mlflowLabels = new ArrayList<>();
        JsonNode predictions = PlatformCalls.json(scored).path("predictions");
        for (int i = 0; i < predictions.size(); i++) {
            JsonNode p = predictions.get(i);
            String label = p.path("label").asText();
            mlflowLabels.add(label);
            console.detail("row %d: %-9s p=%.4f  (labelled %s)", i, label, p.path("probabilities").path(label).asDouble(),
                    dataset.labels().get(i));
        }
        console.detail("answered by version %s", scored.headers().firstValue(PlatformCalls.VERSION_HEADER).orElse("?"));

        console.step("Predicting with the Open Inference Protocol v2: POST /v2/models/%s/infer", SERVED_MODEL);
        JsonNode metadata = calls.get("/v2/models/" + SERVED_MODEL);
        String input = metadata.at("/inputs/0/name").asText();
        List<String> order = new ArrayList<>();
        metadata.at("/parameters/feature_columns").forEach(c -> order.add(c.asText()));
        JsonNode inferred = PlatformCalls.json(calls.predict("/v2/models/" + SERVED_MODEL + "/infer",
                dataset.inferRequest("demo-1", input, order, rows), Map.of()));
        List<String> oipLabels = new ArrayList<>();
        for (JsonNode output : inferred.path("outputs")) {
            if (output.path("name").asText().equals("label")) {
                output.path("data").forEach(l -> oipLabels.add(l.asText()));
            }
        }
        console.detail("input tensor '%s' [%d, %d]; labels %s from model_version %s", input, rows.size(), order.size(),
                oipLabels, inferred.path("model_version").asText());
        if (!oipLabels.equals(mlflowLabels)) {
            throw new IllegalStateException("the two protocols disagree: " + mlflowLabels + " vs " + oipLabels);
        }
        summary.put("served model", SERVED_MODEL + " v" + version + " (" + url + "/models/" + SERVED_MODEL
                + "/invocations)");
    }

    private String registerVersion(String runId) throws IOException, InterruptedException {
        return registerVersion(SERVED_MODEL, runId);
    }

    private String registerVersion(String model, String runId) throws IOException, InterruptedException {
        JsonNode version = calls.post("/api/2.0/mlflow/model-versions/create", object().put("name", model)
                .put("source", "runs:/" + runId + "/model").put("run_id", runId).toString()).path("model_version");
        console.detail("version %s: %s (copied into the registry, opened with ONNX Runtime against its card)",
                version.path("version").asText(), version.path("status").asText());
        if (!version.path("status").asText().equals("READY")) {
            throw new IllegalStateException("registration failed: " + version);
        }
        return version.path("version").asText();
    }

    private void canary(String challengerRun) throws IOException, InterruptedException {
        console.step("Registering the 2-epoch model as the challenger and routing 10%% of traffic to it");
        String challenger = registerVersion(challengerRun);
        promote(challenger, "challenger", "demo: canary");
        ObjectNode policy = object().put("name", SERVED_MODEL).put("reason", "demo: 90/10 canary");
        policy.putArray("routes").add(object().put("target", "champion").put("weight", 90))
                .add(object().put("target", "challenger").put("weight", 10));
        calls.post("/api/2.0/capstan/registry/traffic", policy.toString());
        // serving re-reads a model's aliases and policy at most this often
        Thread.sleep(RegistryModelResolver.MODEL_TTL.toMillis() + 200);

        Map<String, String> versionOfKey = new HashMap<>();
        Map<String, Integer> answered = new TreeMap<>();
        for (int i = 0; i < CANARY_REQUESTS; i++) {
            String key = "customer-" + i;
            String version = answeringVersion(i, key);
            versionOfKey.put(key, version);
            answered.merge("v" + version, 1, Integer::sum);
            if ((i + 1) % 100 == 0) {
                console.progress(String.format("%d/%d requests, answered by %s", i + 1, CANARY_REQUESTS, answered));
            }
        }
        for (int i = 0; i < 50; i++) {
            String key = "customer-" + i;
            if (!answeringVersion(i, key).equals(versionOfKey.get(key))) {
                throw new IllegalStateException("routing key " + key + " moved between versions");
            }
        }
        double share = 100.0 * answered.getOrDefault("v" + challenger, 0) / CANARY_REQUESTS;
        console.detail("%d requests with X-Capstan-Routing-Key: %s, %.1f%% to the challenger; 50 keys sent again"
                + " stayed on their version", CANARY_REQUESTS, answered, share);
        if (share < 5 || share > 15) {
            throw new IllegalStateException("the challenger got " + share + "% of the traffic, not about 10%");
        }
        calls.delete("/api/2.0/capstan/registry/traffic", object().put("name", SERVED_MODEL)
                .put("reason", "demo: canary over").toString());
        summary.put("canary", String.format("%s, %.1f%% to the challenger", answered, share));
    }

    private String answeringVersion(int row, String routingKey) throws IOException, InterruptedException {
        return calls.predict("/models/" + SERVED_MODEL + "/invocations",
                dataset.dataframeSplit(List.of(dataset.rows().get(row % dataset.rows().size()))),
                Map.of(PlatformCalls.ROUTING_KEY_HEADER, routingKey))
                .headers().firstValue(PlatformCalls.VERSION_HEADER).orElseThrow();
    }

    private void promoteAndRollBack() throws IOException, InterruptedException {
        console.step("Promoting the challenger to champion, then rolling the promotion back");
        promote("2", "champion", "demo: challenger promoted");
        JsonNode rollback = calls.post("/api/2.0/capstan/registry/rollback", object().put("name", SERVED_MODEL)
                .put("reason", "demo: rolling the promotion back").toString());
        console.detail("rollback: champion v%s -> v%s", rollback.at("/event/from_version").asText(),
                rollback.at("/event/to_version").asText());
        String champion = calls.get("/api/2.0/mlflow/registered-models/alias?name=" + SERVED_MODEL + "&alias=champion")
                .at("/model_version/version").asText();
        if (!champion.equals("1")) {
            throw new IllegalStateException("after the rollback the champion is v" + champion + ", not v1");
        }
        console.detail("audit trail of %s:", SERVED_MODEL);
        for (JsonNode e : calls.get("/api/2.0/capstan/registry/audit?name=" + SERVED_MODEL).path("events")) {
            console.detail("  %s  %-20s %-32s %2s -> %-2s  %s", Instant.ofEpochMilli(e.path("timestamp").asLong()),
                    e.path("action").asText(), e.path("subject").asText(), e.path("from_version").asText("-"),
                    e.path("to_version").asText("-"), e.path("reason").asText());
        }
        summary.put("rollback", "champion back on v" + champion + " (" + url + "/api/2.0/capstan/registry/audit?name="
                + SERVED_MODEL + ")");
        console.detail("in the console: %s/#/models/%s", url, SERVED_MODEL);
    }

    private void promote(String version, String alias, String reason) throws IOException, InterruptedException {
        promote(SERVED_MODEL, version, alias, reason);
    }

    private void promote(String model, String version, String alias, String reason)
            throws IOException, InterruptedException {
        JsonNode event = calls.post("/api/2.0/capstan/registry/promote", object().put("name", model)
                .put("version", version).put("alias", alias).put("reason", reason).toString()).path("event");
        console.detail("%s -> v%s (%s)", alias, event.path("to_version").asText(), event.path("action").asText());
    }

    // ---- model quality ----

    /**
     * A 50/50 canary of a deliberately undertrained champion and the demo's first model as challenger, every row of
     * the data set scored once with its own prediction id and then labelled through the feedback API; the quality
     * check measures both versions on the same window, says which is better and, as the model's policy tag asks,
     * promotes the better challenger.
     */
    private void qualityOfACanary(TrainerProcess trainer, Path work, MlflowRecorder recorder, String strongRun,
                                  S3Client s3) throws IOException, InterruptedException {
        TrainingRecord weak = train(trainer, work.resolve("train-weak"), "1", "3", Map.of("learning_rate", "0.0001"));
        String weakRun = record(recorder, recorder.experiment(QUALITY_MODEL), "undertrained-1-epoch", weak);
        console.step("Serving '%s': the undertrained model as champion, the first model as challenger, 50/50",
                QUALITY_MODEL);
        calls.post("/api/2.0/mlflow/registered-models/create", object().put("name", QUALITY_MODEL).toString());
        String champion = registerVersion(QUALITY_MODEL, weakRun);
        String challenger = registerVersion(QUALITY_MODEL, strongRun);
        promote(QUALITY_MODEL, champion, "champion", "demo: the model in production");
        promote(QUALITY_MODEL, challenger, "challenger", "demo: the candidate");
        calls.post("/api/2.0/mlflow/registered-models/set-tag", object().put("name", QUALITY_MODEL)
                .put("key", QualityPolicy.PREFIX + "on_challenger_better").put("value", "promote").toString());
        console.detail("policy: tag %son_challenger_better=promote (promote the challenger when it wins)",
                QualityPolicy.PREFIX);
        ObjectNode policy = object().put("name", QUALITY_MODEL).put("reason", "demo: 50/50 A/B test");
        policy.putArray("routes").add(object().put("target", "champion").put("weight", 50))
                .add(object().put("target", "challenger").put("weight", 50));
        calls.post("/api/2.0/capstan/registry/traffic", policy.toString());
        Thread.sleep(RegistryModelResolver.MODEL_TTL.toMillis() + 200);

        console.step("Scoring all %d rows, each with its own id (X-Capstan-Prediction-Id), then sending their labels"
                + " (POST /models/%s/feedback)", dataset.rows().size(), QUALITY_MODEL);
        ArrayNode labels = JSON.createArrayNode();
        for (int i = 0; i < dataset.rows().size(); i++) {
            String id = "demo-row-" + i;
            HttpResponse<String> scored = calls.predict("/models/" + QUALITY_MODEL + "/invocations",
                    dataset.dataframeSplit(List.of(dataset.rows().get(i))), Map.of(PlatformCalls.ROUTING_KEY_HEADER,
                            "customer-" + i, "X-Capstan-Prediction-Id", id));
            if (!PlatformCalls.json(scored).at("/predictions/0/prediction_id").asText().equals(id)) {
                throw new IllegalStateException("the answer did not return the prediction id " + id);
            }
            labels.addObject().put("id", id).put("label", dataset.labels().get(i));
            if ((i + 1) % 100 == 0) {
                console.progress(String.format("%d/%d rows scored", i + 1, dataset.rows().size()));
            }
        }
        JsonNode accepted = calls.post("/models/" + QUALITY_MODEL + "/feedback", object().set("labels", labels)
                .toString());
        console.detail("feedback: %d labels accepted, rejected %s", accepted.path("accepted").asInt(),
                accepted.path("rejected"));
        waitForPredictionRecords(s3, QUALITY_MODEL, "demo-row-", dataset.rows().size());

        console.step("Checking quality: POST /models/%s/quality (DuckDB joins the prediction records and the labels)",
                QUALITY_MODEL);
        JsonNode report = calls.post("/models/" + QUALITY_MODEL + "/quality", object().put("champion", champion)
                .put("challenger", challenger).toString()).path("report");
        for (JsonNode version : report.path("versions")) {
            console.detail("v%s: %d predictions, %d labelled (coverage %.0f%%), accuracy %.4f, macro F1 %.4f",
                    version.path("version").asText(), version.path("predictions").asLong(),
                    version.path("labelled").asLong(), 100 * version.path("label_coverage").asDouble(),
                    version.at("/classification/accuracy").asDouble(), version.at("/classification/macro/f1")
                            .asDouble());
        }
        JsonNode ab = report.path("ab_test");
        console.detail("A/B: %s (%s)", ab.path("verdict").asText(), ab.path("reason").asText());
        console.detail("decision: %s; champion now v%s", report.path("decision").asText(),
                calls.get("/api/2.0/mlflow/registered-models/alias?name=" + QUALITY_MODEL + "&alias=champion")
                        .at("/model_version/version").asText());
        String html = url + "/models/" + QUALITY_MODEL + "/quality/" + report.path("report_id").asText()
                + "?format=html";
        console.detail("report: %s", html);
        summary.put("A/B test", QUALITY_MODEL + ": " + ab.path("verdict").asText() + " (" + html + ")");
        calls.delete("/api/2.0/capstan/registry/traffic", object().put("name", QUALITY_MODEL)
                .put("reason", "demo: A/B test over").toString());
    }

    /**
     * Labels from a population that moved (two rows in three get the other class): the quality check finds the
     * champion's accuracy far below the threshold the model's policy tag sets, and starts its retraining.
     */
    private void degradationToRetraining(S3Client s3) throws IOException, InterruptedException {
        String model = RETRAINED_MODEL;
        console.step("Tagging '%s' to retrain when its accuracy falls below 0.9 (capstan.quality.retrain_below_accuracy)",
                model);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("retrain_below_accuracy", "0.9");
        tags.put("min_labelled", "100");
        // a short cool-down: the drift-triggered retraining a minute ago took the same claim
        tags.put("retrain_cooldown_hours", "0.001");
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            calls.post("/api/2.0/mlflow/registered-models/set-tag", object().put("name", model)
                    .put("key", QualityPolicy.PREFIX + tag.getKey()).put("value", tag.getValue()).toString());
        }
        int rows = 150;
        console.step("Scoring %d rows, then labels from a shifted population (two in three now have the other class)",
                rows);
        List<String> classes = dataset.labels().stream().distinct().sorted().toList();
        ArrayNode labels = JSON.createArrayNode();
        for (int i = 0; i < rows; i++) {
            String id = "shifted-" + i;
            calls.predict("/models/" + model + "/invocations", dataset.dataframeSplit(List.of(dataset.rows().get(i))),
                    Map.of("X-Capstan-Prediction-Id", id));
            String truth = dataset.labels().get(i);
            String label = i % 3 == 0 ? truth : classes.stream().filter(c -> !c.equals(truth)).findFirst()
                    .orElse(truth);
            labels.addObject().put("id", id).put("label", label);
        }
        calls.post("/models/" + model + "/feedback", object().set("labels", labels).toString());
        waitForPredictionRecords(s3, model, "shifted-", rows);

        console.step("Checking quality: POST /models/%s/quality", model);
        JsonNode report = calls.post("/models/" + model + "/quality", object().put("window_hours", 1).toString())
                .path("report");
        for (JsonNode version : report.path("versions")) {
            if (version.path("labelled").asLong() > 0) {
                console.detail("v%s: %d labelled, accuracy %.4f", version.path("version").asText(),
                        version.path("labelled").asLong(), version.at("/classification/accuracy").asDouble());
            }
        }
        String decision = report.path("decision").asText();
        console.detail("decision: %s", decision);
        console.detail("in the console: %s/#/models/%s/quality", url, model);
        if (!decision.contains(STARTED)) {
            throw new IllegalStateException("the quality check did not start retraining: " + decision);
        }
        String execution = decision.substring(decision.indexOf(STARTED) + STARTED.length()).split(" ")[0];
        console.step("Following the quality-triggered retraining");
        JsonNode run = follow(model, execution);
        if (!run.at("/run/trigger").asText().equals("quality") || !run.at("/run/status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("the quality-triggered retraining did not succeed: " + run.path("run"));
        }
        summary.put("quality retraining", execution + ": " + run.at("/run/cause").asText());
        if (platformLog != null) {
            String alarm = awaitLogLine("ALARM quality of " + model + ":");
            console.step("The quality alarm on '%s' (-D%s) went off:", model, LocalQualityAlarms.PROPERTY);
            console.detail("%s", alarm);
            summary.put("quality alarm", alarm);
        }
    }

    /** Waits (10 s at most) for a line of the platform's log starting with {@code prefix}, and returns it. */
    private String awaitLogLine(String prefix) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Stream<String> lines = Files.lines(platformLog, StandardCharsets.UTF_8)) {
                Optional<String> found = lines.map(line -> line.substring(Math.max(0, line.indexOf(prefix))))
                        .filter(line -> line.startsWith(prefix)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the platform's log " + platformLog + " has no line '" + prefix
                        + "...': is -D" + LocalQualityAlarms.PROPERTY + " set for the model?");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Waits until the predict function has flushed the records of {@code rows} rows whose ids start with
     * {@code idPrefix} (its flush timer's interval).
     */
    private void waitForPredictionRecords(S3Client s3, String model, String idPrefix, int rows)
            throws IOException, InterruptedException {
        String marker = "{\"id\":\"" + idPrefix;
        String bucket = BucketDefinition.CAPTURE.logicalName();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            long recorded = 0;
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)
                    .prefix(PredictionKeys.predictionsOf(model))).contents()) {
                try (GZIPInputStream in = new GZIPInputStream(s3.getObject(b -> b.bucket(bucket).key(object.key())))) {
                    recorded += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                            .filter(line -> line.startsWith(marker)).count();
                }
            }
            console.progress(String.format("%d/%d prediction records flushed", recorded, rows));
            if (recorded >= rows) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the prediction records of " + rows + " rows were not flushed within a minute");
    }

    // ---- retraining pipeline ----

    private void retrainOnUpload(S3Client s3) throws IOException, InterruptedException {
        String key = DatasetUploads.prefixOf(RETRAINED_MODEL) + "breast_cancer.csv";
        console.step("Uploading the data set to s3://%s/%s: the retraining pipeline starts on its own",
                datasetBucket(), key);
        JsonNode run = followUpload(s3, key, dataset.csv());
        String cause = run.at("/run/cause").asText();
        if (!run.at("/run/status").asText().equals("SUCCEEDED") || !cause.contains("promoted to champion")) {
            throw new IllegalStateException("the upload did not produce a champion: " + run.path("run"));
        }
        summary.put("pipeline", run.at("/run/execution").asText() + ": " + cause);
    }

    private void rejectDegradedUpload(S3Client s3) throws IOException, InterruptedException {
        String key = DatasetUploads.prefixOf(RETRAINED_MODEL) + "breast_cancer_shuffled_labels.csv";
        console.step("Uploading a degraded copy (labels shuffled across rows) to s3://%s/%s", datasetBucket(), key);
        JsonNode run = followUpload(s3, key, dataset.withShuffledLabels());
        if (!states(run).contains("Reject") || states(run).contains("Promote")) {
            throw new IllegalStateException("the degraded model was not rejected: " + run);
        }
        summary.put("degraded upload", run.at("/run/execution").asText() + ": " + run.at("/run/cause").asText());
    }

    private void predictWithRetrainedChampion() throws IOException, InterruptedException {
        console.step("Predicting with the champion of '%s' (the gate kept it)", RETRAINED_MODEL);
        List<double[]> rows = dataset.rows().subList(0, 3);
        HttpResponse<String> scored = calls.predict("/models/" + RETRAINED_MODEL + "/invocations",
                dataset.dataframeSplit(rows), Map.of());
        List<String> labels = new ArrayList<>();
        PlatformCalls.json(scored).path("predictions").forEach(p -> labels.add(p.path("label").asText()));
        String version = scored.headers().firstValue(PlatformCalls.VERSION_HEADER).orElse("?");
        console.detail("labels %s from version %s (labelled %s)", labels, version, dataset.labels().subList(0, 3));
        summary.put("retrained champion", RETRAINED_MODEL + " v" + version + " (" + url + "/models/" + RETRAINED_MODEL
                + "/invocations)");
    }

    // ---- hyperparameter search ----

    /**
     * A 6-trial random search with a seed on the uploaded data set: the trials run as the retraining state
     * machine's Map (two at a time), each a child run of the execution's run; the winner is evaluated, registered
     * and gated as any retrained model.
     */
    private void hyperparameterSearch() throws IOException, InterruptedException {
        String dataset = "s3://" + datasetBucket() + "/" + DatasetUploads.prefixOf(RETRAINED_MODEL) + "breast_cancer.csv";
        console.step("Searching hyperparameters for '%s': 6 random trials (seed 7) over learning_rate and "
                + "minibatch_size, objective log loss on validation rows (POST /api/2.0/capstan/pipelines/%s/runs)",
                TUNED_MODEL, TUNED_MODEL);
        ObjectNode request = object().put("dataset_uri", dataset);
        request.putObject("hyperparameters").put("epochs", 10);
        ObjectNode tuning = request.putObject("tuning").put("strategy", "random").put("max_trials", 6)
                .put("max_parallel", 2).put("seed", 7).put("objective", "log_loss");
        tuning.putObject("space").put("learning_rate", "loguniform(0.001, 1)").putArray("minibatch_size").add(1)
                .add(8).add(32);
        String execution = calls.post("/api/2.0/capstan/pipelines/" + TUNED_MODEL + "/runs", request.toString())
                .at("/run/execution").asText();
        JsonNode run = follow(TUNED_MODEL, execution);
        if (!run.at("/run/status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("the search did not finish: " + run.path("run"));
        }
        String experimentId = calls.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + TUNED_MODEL)
                .at("/experiment/experiment_id").asText();
        JsonNode parent = calls.post("/api/2.0/mlflow/runs/search", object().put("filter",
                "tags.`capstan.pipeline.execution` = '" + execution + "'").set("experiment_ids",
                JSON.createArrayNode().add(experimentId)).toString()).at("/runs/0");
        String parentId = parent.at("/info/run_id").asText();
        JsonNode trials = calls.post("/api/2.0/mlflow/runs/search", object().put("filter",
                "tags.mlflow.parentRunId = '" + parentId + "'").set("experiment_ids", JSON.createArrayNode()
                .add(experimentId)).toString()).path("runs");
        String best = entry(parent.at("/data/tags"), "capstan.tuning.best_trial");
        console.detail("%d trials, child runs of run %s (mlflow.parentRunId):", trials.size(), parentId);
        console.detail("%-9s %-9s %-14s %-10s %s", "trial", "status", "learning_rate", "minibatch", "validation log loss");
        for (JsonNode trial : trials) {
            String name = trial.at("/info/run_name").asText();
            console.detail("%-9s %-9s %-14s %-10s %s%s", name, trial.at("/info/status").asText(),
                    entry(trial.at("/data/params"), "learning_rate"), entry(trial.at("/data/params"), "minibatch_size"),
                    entry(trial.at("/data/metrics"), "validation_log_loss"), name.equals(best) ? "  <- chosen" : "");
        }
        if (trials.size() != 6 || best.isEmpty()) {
            throw new IllegalStateException("expected 6 trials and a winner, got " + trials.size() + " and '" + best
                    + "'");
        }
        summary.put("hyperparameter search", execution + ": " + best + " of 6 (learning_rate "
                + entry(parent.at("/data/params"), "tuning.best.learning_rate") + ", minibatch_size "
                + entry(parent.at("/data/params"), "tuning.best.minibatch_size") + "); " + run.at("/run/cause").asText());
    }

    private static String entry(JsonNode entries, String key) {
        for (JsonNode e : entries) {
            if (e.path("key").asText().equals(key)) {
                return e.path("value").asText();
            }
        }
        return "";
    }

    // ---- batch predictions ----

    /**
     * The data set's last fifth, held back, scored as a batch job on the batch state machine (the local interpreter
     * runs it), its progress followed, and its output checked row by row against the online endpoint's answers.
     */
    private void batchPredictions(S3Client s3) throws IOException, InterruptedException {
        List<double[]> rows = dataset.rows();
        int first = rows.size() - rows.size() / 5;
        List<double[]> heldBack = rows.subList(first, rows.size());
        StringBuilder csv = new StringBuilder("row_id," + String.join(",", dataset.features()) + "\n");
        for (int r = 0; r < heldBack.size(); r++) {
            csv.append("held-").append(first + r);
            for (double value : heldBack.get(r)) {
                csv.append(',').append(value);
            }
            csv.append('\n');
        }
        String key = "batch/demo/held-back.csv";
        s3.putObject(b -> b.bucket(datasetBucket()).key(key), RequestBody.fromString(csv.toString()));
        console.step("Scoring the %d held-back rows of the data set as a batch job: POST /models/%s/batch-predictions",
                heldBack.size(), SERVED_MODEL);
        String output = "s3://" + datasetBucket() + "/batch/demo-out/";
        JsonNode job = calls.post("/models/" + SERVED_MODEL + "/batch-predictions", object()
                .put("input", "s3://" + datasetBucket() + "/" + key).put("output", output)
                .put("id_column", "row_id").put("request_id", "demo-held-back").toString());
        String jobId = job.path("job_id").asText();
        console.detail("job %s on version %s, output %s", jobId, job.path("version").asText(), output);
        long deadline = System.nanoTime() + PIPELINE_TIMEOUT.toNanos();
        String status = job.path("status").asText();
        int shown = -1;
        while (!List.of("SUCCEEDED", "PARTIAL", "FAILED").contains(status)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("batch job " + jobId + " did not end within " + PIPELINE_TIMEOUT);
            }
            Thread.sleep(300);
            job = calls.get("/models/" + SERVED_MODEL + "/batch-predictions/" + jobId);
            status = job.path("status").asText();
            int done = job.at("/progress/chunks_done").asInt();
            if (done != shown) {
                console.progress(status + ": " + done + " chunk(s) scored");
                shown = done;
            }
        }
        if (!status.equals("SUCCEEDED")) {
            throw new IllegalStateException("batch job " + jobId + " ended " + status + ": " + job);
        }
        List<CSVRecord> written = new ArrayList<>();
        for (S3Object part : s3.listObjectsV2Paginator(b -> b.bucket(datasetBucket()).prefix("batch/demo-out/part-"))
                .contents()) {
            String text = s3.getObjectAsBytes(b -> b.bucket(datasetBucket()).key(part.key())).asUtf8String();
            written.addAll(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                    .get().parse(new StringReader(text)).getRecords());
        }
        JsonNode online = PlatformCalls.json(calls.predict("/models/" + SERVED_MODEL + "@v" + job.path("version")
                .asText() + "/invocations", dataset.dataframeSplit(heldBack), Map.of())).path("predictions");
        if (written.size() != heldBack.size()) {
            throw new IllegalStateException("the batch job wrote " + written.size() + " rows of " + heldBack.size());
        }
        double largest = 0;
        for (int r = 0; r < heldBack.size(); r++) {
            CSVRecord row = written.get(r);
            JsonNode answer = online.get(r);
            if (!row.get("row_id").equals("held-" + (first + r)) || !row.get("label").equals(answer.path("label")
                    .asText())) {
                throw new IllegalStateException("batch row " + r + " (" + row + ") differs from the online answer "
                        + answer);
            }
            for (var p = answer.path("probabilities").fields(); p.hasNext(); ) {
                var probability = p.next();
                largest = Math.max(largest, Math.abs(Double.parseDouble(row.get("probabilities." + probability
                        .getKey())) - probability.getValue().asDouble()));
            }
        }
        if (largest > 1e-6) {
            throw new IllegalStateException("batch probabilities differ from the online ones by up to " + largest);
        }
        console.detail("%s: %d rows written in %s chunk(s); each equals the online answer (largest probability"
                + " difference %.1e); manifest %s", status, written.size(), job.at("/progress/chunks").asText(),
                largest, job.path("manifest").asText());
        summary.put("batch predictions", jobId + ": " + written.size() + " held-back rows, " + status
                + ", equal to the online answers (" + output + ")");
    }

    private JsonNode followUpload(S3Client s3, String key, byte[] bytes) throws IOException, InterruptedException {
        Set<String> before = executions(RETRAINED_MODEL);
        s3.putObject(b -> b.bucket(datasetBucket()).key(key), RequestBody.fromBytes(bytes));
        console.detail("uploaded %,d bytes; waiting for the upload trigger", bytes.length);
        long deadline = System.nanoTime() + PIPELINE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> now = executions(RETRAINED_MODEL);
            now.removeAll(before);
            if (!now.isEmpty()) {
                return follow(RETRAINED_MODEL, now.iterator().next());
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no pipeline execution started within " + PIPELINE_TIMEOUT + " of the upload");
    }

    private Set<String> executions(String model) throws IOException, InterruptedException {
        Set<String> names = new java.util.HashSet<>();
        calls.get("/api/2.0/capstan/pipelines/" + model + "/runs").path("runs")
                .forEach(r -> names.add(r.path("execution").asText()));
        return names;
    }

    /** Prints the execution's states as it enters them until it ends; returns the final {@code GetPipelineRun}. */
    private JsonNode follow(String model, String execution) throws IOException, InterruptedException {
        console.detail("execution %s (in the console: %s/#/pipelines/%s/%s)", execution, url, model, execution);
        String path = "/api/2.0/capstan/pipelines/" + model + "/runs/" + URLEncoder.encode(execution,
                StandardCharsets.UTF_8);
        int shown = 0;
        Map<String, Integer> trialStates = new HashMap<>();
        long deadline = System.nanoTime() + PIPELINE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = calls.get(path);
            JsonNode history = run.path("history");
            for (; shown < history.size(); shown++) {
                JsonNode event = history.get(shown);
                String state = event.path("state").asText();
                switch (event.path("type").asText()) {
                    case "StateEntered" -> {
                        if (TRIAL_PROGRESS.containsKey(state)) {
                            // a search's trials run side by side: their states are counted, not listed
                            int count = trialStates.merge(state, 1, Integer::sum);
                            console.progress(String.format(Locale.ROOT, TRIAL_PROGRESS.get(state), count));
                        } else if (!TRIAL_STATES.contains(state)) {
                            console.progress("state " + state);
                        }
                    }
                    case "StateRetried", "StateFailed", "StateCaught" -> console.progress(event.path("type").asText()
                            + " " + event.path("state").asText() + ": " + event.path("error").asText() + " "
                            + event.path("cause").asText());
                    case "Notification" -> console.progress("notified: " + event.path("error").asText());
                    default -> { }
                }
            }
            if (!run.at("/run/status").asText().equals("RUNNING")) {
                console.detail("%s %s: %s", run.at("/run/status").asText(), execution, run.at("/run/cause").asText(
                        run.at("/run/error").asText()));
                return run;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("execution " + execution + " did not end within " + PIPELINE_TIMEOUT);
    }

    private static List<String> states(JsonNode run) {
        List<String> states = new ArrayList<>();
        run.path("history").forEach(e -> {
            if (e.path("type").asText().equals("StateEntered")) {
                states.add(e.path("state").asText());
            }
        });
        return states;
    }

    // ---- drift ----

    private void driftToRetraining() throws IOException, InterruptedException {
        console.step("Turning on drift-triggered retraining for '%s' (model tag capstan.drift.retrain=true)",
                RETRAINED_MODEL);
        calls.post("/api/2.0/mlflow/registered-models/set-tag", object().put("name", RETRAINED_MODEL)
                .put("key", "capstan.drift.retrain").put("value", "true").toString());

        console.step("Sending shifted traffic: %,d rows, every feature moved by one standard deviation", SHIFTED_ROWS);
        long sentFrom = System.currentTimeMillis();
        List<double[]> shifted = dataset.shifted(SHIFTED_ROWS, 1.0);
        for (int from = 0; from < shifted.size(); from += BATCH) {
            calls.predict("/models/" + RETRAINED_MODEL + "/invocations",
                    dataset.dataframeSplit(shifted.subList(from, Math.min(from + BATCH, shifted.size()))), Map.of());
            console.progress(String.format("%,d/%,d rows scored", Math.min(from + BATCH, shifted.size()),
                    SHIFTED_ROWS));
        }

        console.step("Waiting for the scheduled drift check (the predict function flushes its sketches, the schedule"
                + " checks every champion)");
        JsonNode report = awaitFlaggedReport(sentFrom);
        console.detail("report %s: dataset drift, %.0f%% of columns drifted, %,d captured rows against %,d reference"
                + " rows", report.path("report_id").asText(), 100 * report.path("drifted_share").asDouble(),
                report.path("current_rows").asLong(), report.path("reference_rows").asLong());
        String html = report.path("html_report_uri").asText();
        console.detail("HTML report: %s", reportLocation(html));
        console.detail("in the console: %s/#/models/%s/drift", url, RETRAINED_MODEL);
        console.detail("        API: %s/models/%s/drift/%s?format=html", url, RETRAINED_MODEL,
                report.path("report_id").asText());
        String decision = report.path("decision").asText();
        console.detail("decision: %s", decision);
        summary.put("drift report", reportLocation(html));
        if (!decision.startsWith(STARTED)) {
            throw new IllegalStateException("the drift check did not start retraining: " + decision);
        }

        String execution = decision.substring(STARTED.length()).split(" ")[0];
        console.step("Following the drift-triggered retraining");
        JsonNode run = follow(RETRAINED_MODEL, execution);
        if (!run.at("/run/trigger").asText().equals("drift") || !run.at("/run/status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("the drift-triggered retraining did not succeed: " + run.path("run"));
        }
        summary.put("drift retraining", execution + ": " + run.at("/run/cause").asText());
    }

    /** The first scheduled report since {@code since} that found dataset drift; prints the others as they come. */
    private JsonNode awaitFlaggedReport(long since) throws IOException, InterruptedException {
        Set<String> seen = new java.util.HashSet<>();
        long deadline = System.nanoTime() + DRIFT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> fresh = new ArrayList<>();
            calls.get("/models/" + RETRAINED_MODEL + "/drift").path("reports").forEach(r -> {
                if (r.path("timestamp").asLong() >= since && seen.add(r.path("report_id").asText())) {
                    fresh.add(r);
                }
            });
            fresh.sort((a, b) -> Long.compare(a.path("timestamp").asLong(), b.path("timestamp").asLong()));
            for (JsonNode r : fresh) {
                console.progress(String.format("%s check at %s: %,d rows, %s", r.path("trigger").asText(),
                        Instant.ofEpochMilli(r.path("timestamp").asLong()), r.path("current_rows").asLong(),
                        r.path("dataset_drift").asBoolean() ? "dataset drift" : "no dataset drift"));
            }
            Optional<JsonNode> flagged = fresh.stream().filter(r -> r.path("trigger").asText().equals("schedule")
                    && r.path("dataset_drift").asBoolean()).findFirst();
            if (flagged.isPresent()) {
                return flagged.get();
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("no scheduled drift check flagged the shifted traffic within " + DRIFT_TIMEOUT
                + " (is the platform's capstan.drift.scheduleSeconds short?)");
    }

    /** The report as a file when the platform's data directory is known, else its S3 URI. */
    private String reportLocation(String s3Uri) {
        if (platformDataDir == null || !s3Uri.startsWith("s3://")) {
            return s3Uri;
        }
        String bucketAndKey = s3Uri.substring("s3://".length());
        int slash = bucketAndKey.indexOf('/');
        Path file = platformDataDir.resolve("s3").resolve(bucketAndKey.substring(0, slash))
                .resolve(bucketAndKey.substring(slash + 1)).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the report " + s3Uri + " is not at " + file);
        }
        return file.toUri().toString();
    }

    private static String datasetBucket() {
        return BucketDefinition.DATASETS.logicalName();
    }

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
