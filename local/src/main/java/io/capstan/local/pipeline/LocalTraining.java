package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.training.TrainerProcess;
import io.capstan.local.training.TrainingOutcome;
import io.capstan.pipeline.tasks.TuningJobs;
import io.capstan.pipeline.tuning.SearchDimension;
import io.capstan.pipeline.tuning.SearchSpace;
import io.capstan.pipeline.tuning.SearchStrategy;
import io.capstan.pipeline.tuning.Trial;
import io.capstan.pipeline.tuning.TrialSearch;
import io.capstan.pipeline.tuning.TuningSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The training states' work on one machine: the request SageMaker's {@code CreateTrainingJob} (or Batch's
 * {@code SubmitJob}) would get is carried out by Capstan's trainer as a local process on the same contract. The
 * channel is staged from the local S3 into a temporary {@code /opt/ml}-shaped folder, and the model folder goes
 * back where SageMaker would put it ({@code <output path>/<job>/output/model.tar.gz}) or, for Batch, where the
 * trainer would upload it ({@code model_output_uri}). A bring-your-own image cannot run here; the local trainer
 * stands in for it and says so.
 */
final class LocalTraining {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SageMaker's TrainingJobName pattern: no dots, no slashes, so it is one plain folder name. */
    private static final Pattern SAGEMAKER_JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    /** Batch's JobName pattern. */
    private static final Pattern BATCH_JOB_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}");
    /** SageMaker's ChannelName pattern. */
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9\\.\\-_]{1,64}");
    /** SageMaker's HyperParameterTuningJobName pattern. */
    private static final Pattern TUNING_JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}");
    private static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,62}/.*");

    private final S3Client s3;
    private final TrainerProcess trainer;
    private final Path workDir;
    private final Map<String, List<TuningJobs.TrainingJob>> tuningJobs = new ConcurrentHashMap<>();

    LocalTraining(S3Client s3, TrainerProcess trainer, Path workDir) {
        this.s3 = s3;
        this.trainer = trainer;
        this.workDir = workDir;
    }

    /** Carries out a {@code CreateTrainingJob} request; answers what {@code DescribeTrainingJob} would. */
    JsonNode sageMaker(JsonNode request, Consumer<String> progress) throws TrainingFailed {
        String job = name("TrainingJobName", request.path("TrainingJobName").asText(), SAGEMAKER_JOB_NAME);
        Map<String, String> hyperparameters = strings(request.path("HyperParameters"));
        Map<String, String> channels = new LinkedHashMap<>();
        JsonNode inputs = request.path("InputDataConfig");
        for (int i = 0; i < inputs.size(); i++) {
            String channel = name("InputDataConfig[" + i + "].ChannelName", inputs.get(i).path("ChannelName").asText(),
                    CHANNEL_NAME);
            channels.put(channel, s3Uri("InputDataConfig[" + i + "].DataSource.S3DataSource.S3Uri",
                    inputs.get(i).at("/DataSource/S3DataSource/S3Uri").asText()));
        }
        if (!channels.containsKey("train")) {
            throw new TrainingFailed("InputDataConfig has no 'train' channel");
        }
        String image = request.at("/AlgorithmSpecification/TrainingImage").asText();
        String outputUri = s3Uri("OutputDataConfig.S3OutputPath", request.at("/OutputDataConfig/S3OutputPath").asText());
        Path modelDir = train(job, image, hyperparameters, channels, progress);
        String artifact = (outputUri.endsWith("/") ? outputUri : outputUri + "/") + job + "/output/model.tar.gz";
        put(artifact, tarGz(modelDir));
        ObjectNode described = JSON.createObjectNode().put("TrainingJobName", job).put("TrainingJobStatus", "Completed");
        described.putObject("ModelArtifacts").put("S3ModelArtifacts", artifact);
        return described;
    }

    /**
     * Carries out a {@code CreateHyperParameterTuningJob} request as SageMaker would, on the local trainer: the
     * configurations drawn by Capstan's own search from the request's ranges (a grid of its categorical values, or
     * {@code MaxNumberOfTrainingJobs} draws with its {@code RandomSeed}: SageMaker's own draws differ), each trained
     * as a {@code CreateTrainingJob} named {@code <tuning job>-<nnn>} one after another, its objective the last value
     * the objective's metric definition reads from the job's log. Answers what {@code DescribeHyperParameterTuningJob}
     * would; the jobs stay listed for {@link #tuningJobs()}.
     *
     * @throws TrainingFailed when the request is not one the trainer can run, or every training job failed
     */
    JsonNode tuningJob(JsonNode request, Consumer<String> progress) throws TrainingFailed {
        String name = name("HyperParameterTuningJobName", request.path("HyperParameterTuningJobName").asText(),
                TUNING_JOB_NAME);
        JsonNode config = request.path("HyperParameterTuningJobConfig");
        JsonNode definition = request.path("TrainingJobDefinition");
        String metric = config.at("/HyperParameterTuningJobObjective/MetricName").asText();
        boolean maximize = config.at("/HyperParameterTuningJobObjective/Type").asText().equals("Maximize");
        Pattern objective = null;
        for (JsonNode metricDefinition : definition.at("/AlgorithmSpecification/MetricDefinitions")) {
            if (metricDefinition.path("Name").asText().equals(metric)) {
                objective = Pattern.compile(metricDefinition.path("Regex").asText());
            }
        }
        if (objective == null) {
            throw new TrainingFailed("the objective metric '" + metric + "' has no metric definition");
        }
        TuningSettings search;
        List<Trial> trials;
        try {
            search = searchOf(config, metric, maximize);
            trials = TrialSearch.firstRound(search);
        } catch (RuntimeException e) {
            throw new TrainingFailed("the tuning job's ranges cannot be searched: " + e.getMessage());
        }
        List<TuningJobs.TrainingJob> jobs = new ArrayList<>();
        TuningJobs.TrainingJob best = null;
        for (Trial trial : trials) {
            String job = name + "-" + String.format(Locale.ROOT, "%03d", trial.number());
            ObjectNode training = JSON.createObjectNode().put("TrainingJobName", job);
            training.set("AlgorithmSpecification", definition.path("AlgorithmSpecification"));
            training.set("InputDataConfig", definition.path("InputDataConfig"));
            training.set("OutputDataConfig", definition.path("OutputDataConfig"));
            ObjectNode hyperparameters = training.putObject("HyperParameters");
            definition.path("StaticHyperParameters").properties().forEach(e -> hyperparameters.set(e.getKey(),
                    e.getValue()));
            trial.hyperparameters().forEach(hyperparameters::put);
            Pattern read = objective;
            double[] last = {Double.NaN};
            try {
                sageMaker(training, line -> {
                    Matcher found = read.matcher(line);
                    while (found.find()) {
                        last[0] = Double.parseDouble(found.group(1));
                    }
                    progress.accept(line);
                });
                TuningJobs.TrainingJob done = new TuningJobs.TrainingJob(job, "Completed", trial.hyperparameters(),
                        Double.isNaN(last[0]) ? OptionalDouble.empty() : OptionalDouble.of(last[0]), "");
                jobs.add(done);
                if (done.objective().isPresent() && (best == null || search.better(done.objective().getAsDouble(),
                        best.objective().getAsDouble()))) {
                    best = done;
                }
            } catch (TrainingFailed e) {
                jobs.add(new TuningJobs.TrainingJob(job, "Failed", trial.hyperparameters(), OptionalDouble.empty(),
                        e.getMessage()));
            }
        }
        tuningJobs.put(name, List.copyOf(jobs));
        if (best == null) {
            throw new TrainingFailed("every training job of tuning job " + name + " failed; the first: "
                    + jobs.get(0).failureReason());
        }
        ObjectNode described = JSON.createObjectNode().put("HyperParameterTuningJobName", name)
                .put("HyperParameterTuningJobStatus", "Completed");
        ObjectNode chosen = described.putObject("BestTrainingJob").put("TrainingJobName", best.name())
                .put("TrainingJobStatus", "Completed");
        ObjectNode tuned = chosen.putObject("TunedHyperParameters");
        best.tuned().forEach(tuned::put);
        chosen.putObject("FinalHyperParameterTuningJobObjectiveMetric").put("MetricName", metric)
                .put("Value", best.objective().getAsDouble());
        described.putObject("TrainingJobStatusCounters").put("Completed", jobs.stream().filter(j -> j.status()
                .equals("Completed")).count()).put("NonRetryableError", jobs.stream().filter(j -> j.status()
                .equals("Failed")).count());
        return described;
    }

    /** The tuning jobs run here, and their training jobs. */
    TuningJobs tuningJobs() {
        return name -> tuningJobs.getOrDefault(name, List.of());
    }

    /** The request's ranges as Capstan's search: the same dimensions (in name order), strategy, limits and seed. */
    private static TuningSettings searchOf(JsonNode config, String metric, boolean maximize) {
        Map<String, SearchDimension> dimensions = new TreeMap<>();
        JsonNode ranges = config.path("ParameterRanges");
        ranges.path("ContinuousParameterRanges").forEach(r -> {
            String name = r.path("Name").asText();
            double low = r.path("MinValue").asDouble();
            double high = r.path("MaxValue").asDouble();
            dimensions.put(name, r.path("ScalingType").asText().equals("Logarithmic")
                    ? new SearchDimension.LogUniform(name, low, high) : new SearchDimension.Uniform(name, low, high));
        });
        ranges.path("IntegerParameterRanges").forEach(r -> dimensions.put(r.path("Name").asText(),
                new SearchDimension.IntegerRange(r.path("Name").asText(), r.path("MinValue").asLong(),
                        r.path("MaxValue").asLong())));
        ranges.path("CategoricalParameterRanges").forEach(r -> {
            List<String> values = new ArrayList<>();
            r.path("Values").forEach(v -> values.add(v.asText()));
            dimensions.put(r.path("Name").asText(), new SearchDimension.Choice(r.path("Name").asText(), values));
        });
        boolean grid = config.path("Strategy").asText().equals("Grid");
        return new TuningSettings(grid ? SearchStrategy.GRID : SearchStrategy.RANDOM,
                new SearchSpace(List.copyOf(dimensions.values())),
                config.at("/ResourceLimits/MaxNumberOfTrainingJobs").asInt(1),
                config.at("/ResourceLimits/MaxParallelTrainingJobs").asInt(1), metric, maximize,
                config.path("RandomSeed").asLong(0), 0.2, 1, 2, 1);
    }

    /** Carries out a {@code SubmitJob} request for the trainer's job definition; answers what Batch would. */
    JsonNode batch(JsonNode request, Consumer<String> progress) throws TrainingFailed {
        String job = name("JobName", request.path("JobName").asText(), BATCH_JOB_NAME);
        JsonNode environment = request.at("/ContainerOverrides/Environment");
        String hps = "";
        for (JsonNode variable : environment) {
            if (variable.path("Name").asText().equals("SM_HPS")) {
                hps = variable.path("Value").asText();
            }
        }
        Map<String, String> hyperparameters;
        try {
            hyperparameters = strings(JSON.readTree(hps));
        } catch (IOException e) {
            throw new TrainingFailed("the job's SM_HPS is not JSON: " + e.getMessage());
        }
        Map<String, String> channels = new LinkedHashMap<>();
        channels.put("train", s3Uri("SM_HPS.train_uri", hyperparameters.remove("train_uri")));
        if (hyperparameters.containsKey("validation_uri")) {
            channels.put("validation", s3Uri("SM_HPS.validation_uri", hyperparameters.remove("validation_uri")));
        }
        String modelUri = s3Uri("SM_HPS.model_output_uri", hyperparameters.remove("model_output_uri"));
        Path modelDir = train(job, "", hyperparameters, channels, progress);
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path file : files.toList()) {
                put(modelUri + file.getFileName(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JSON.createObjectNode().put("JobName", job).put("JobId", job).put("Status", "SUCCEEDED");
    }

    /** Stages each channel ({@code train}, and {@code validation} when given) and runs the trainer on them. */
    private Path train(String job, String image, Map<String, String> hyperparameters, Map<String, String> channels,
                       Consumer<String> progress) throws TrainingFailed {
        Path mlRoot = inside(workDir, job);
        try {
            Path data = Files.createDirectories(mlRoot.resolve("input/data"));
            for (Map.Entry<String, String> input : channels.entrySet()) {
                Path channel = Files.createDirectories(inside(data, input.getKey()));
                String uri = input.getValue();
                int staged = 0;
                for (S3Object object : list(uri)) {
                    Path target = inside(channel, object.key().substring(object.key().lastIndexOf('/') + 1));
                    try (InputStream in = s3.getObject(b -> b.bucket(bucket(uri)).key(object.key()))) {
                        Files.copy(in, target);
                    }
                    staged++;
                }
                if (staged == 0) {
                    throw new TrainingFailed("no " + input.getKey() + " data under " + uri);
                }
            }
            Path config = Files.createDirectories(mlRoot.resolve("input/config"));
            Files.write(config.resolve("hyperparameters.json"), JSON.writeValueAsBytes(hyperparameters));
        } catch (IOException e) {
            throw new UncheckedIOException("staging the training data of " + job, e);
        }
        if (!image.isEmpty() && !image.startsWith("capstan-trainer")) {
            progress.accept("image " + image + " cannot run on this machine; Capstan's trainer runs in its place");
        }
        progress.accept("training job " + job + " (local trainer process, SageMaker contract)");
        TrainingOutcome outcome = trainer.train(mlRoot, progress);
        if (outcome instanceof TrainingOutcome.Failed failed) {
            throw new TrainingFailed("training job " + job + " failed: " + failed.reason());
        }
        return ((TrainingOutcome.Trained) outcome).modelDir();
    }

    /** {@code value}, when it matches {@code pattern}: a job name becomes a folder of the data directory. */
    private static String name(String field, String value, Pattern pattern) throws TrainingFailed {
        if (!pattern.matcher(value).matches()) {
            throw new TrainingFailed(field + " '" + printable(value) + "' is not a valid job name (" + pattern.pattern()
                    + "); the state machine names jobs after the model and the execution");
        }
        return value;
    }

    private static String s3Uri(String field, String value) throws TrainingFailed {
        if (value == null || !S3_URI.matcher(value).matches()) {
            throw new TrainingFailed(field + " must be an s3://<bucket>/<key> URI, got '" + printable(String.valueOf(
                    value)) + "'");
        }
        return value;
    }

    /** {@code parent}'s child {@code name}, refused unless it is a plain name that stays inside {@code parent}. */
    private static Path inside(Path parent, String name) throws TrainingFailed {
        Path base = parent.toAbsolutePath().normalize();
        Path child = base.resolve(name).normalize();
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || !child.getParent().equals(base)) {
            throw new TrainingFailed("'" + printable(name) + "' would leave " + base + "; refused");
        }
        return child;
    }

    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private List<S3Object> list(String uri) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket(uri)).prefix(key(uri))).contents().stream()
                .filter(o -> !o.key().endsWith("/")).toList();
    }

    private void put(String uri, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket(uri)).key(key(uri)), RequestBody.fromBytes(bytes));
    }

    private static byte[] tarGz(Path folder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
             Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), file.getFileName().toString());
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("packing the model folder " + folder, e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    static String bucket(String uri) {
        String rest = uri.substring("s3://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    static String key(String uri) {
        String rest = uri.substring("s3://".length());
        return rest.substring(rest.indexOf('/') + 1);
    }

    /** A training job that did not produce a model. */
    static final class TrainingFailed extends Exception {
        TrainingFailed(String message) {
            super(message);
        }
    }
}
