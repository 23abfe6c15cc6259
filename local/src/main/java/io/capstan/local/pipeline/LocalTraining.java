package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.training.TrainerProcess;
import io.capstan.local.training.TrainingOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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

    private final S3Client s3;
    private final TrainerProcess trainer;
    private final Path workDir;

    LocalTraining(S3Client s3, TrainerProcess trainer, Path workDir) {
        this.s3 = s3;
        this.trainer = trainer;
        this.workDir = workDir;
    }

    /** Carries out a {@code CreateTrainingJob} request; answers what {@code DescribeTrainingJob} would. */
    JsonNode sageMaker(JsonNode request, Consumer<String> progress) throws TrainingFailed {
        String job = request.path("TrainingJobName").asText();
        Map<String, String> hyperparameters = strings(request.path("HyperParameters"));
        String trainUri = request.at("/InputDataConfig/0/DataSource/S3DataSource/S3Uri").asText();
        String image = request.at("/AlgorithmSpecification/TrainingImage").asText();
        Path modelDir = train(job, image, hyperparameters, trainUri, progress);
        String outputUri = request.at("/OutputDataConfig/S3OutputPath").asText();
        String artifact = (outputUri.endsWith("/") ? outputUri : outputUri + "/") + job + "/output/model.tar.gz";
        put(artifact, tarGz(modelDir));
        ObjectNode described = JSON.createObjectNode().put("TrainingJobName", job).put("TrainingJobStatus", "Completed");
        described.putObject("ModelArtifacts").put("S3ModelArtifacts", artifact);
        return described;
    }

    /** Carries out a {@code SubmitJob} request for the trainer's job definition; answers what Batch would. */
    JsonNode batch(JsonNode request, Consumer<String> progress) throws TrainingFailed {
        String job = request.path("JobName").asText();
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
        String trainUri = hyperparameters.remove("train_uri");
        String modelUri = hyperparameters.remove("model_output_uri");
        Path modelDir = train(job, "", hyperparameters, trainUri, progress);
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path file : files.toList()) {
                put(modelUri + file.getFileName(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JSON.createObjectNode().put("JobName", job).put("JobId", job).put("Status", "SUCCEEDED");
    }

    private Path train(String job, String image, Map<String, String> hyperparameters, String trainUri,
                       Consumer<String> progress) throws TrainingFailed {
        Path mlRoot = workDir.resolve(job);
        try {
            Path channel = Files.createDirectories(mlRoot.resolve("input/data/train"));
            int staged = 0;
            for (S3Object object : list(trainUri)) {
                Path target = channel.resolve(object.key().substring(object.key().lastIndexOf('/') + 1));
                try (InputStream in = s3.getObject(b -> b.bucket(bucket(trainUri)).key(object.key()))) {
                    Files.copy(in, target);
                }
                staged++;
            }
            if (staged == 0) {
                throw new TrainingFailed("no training data under " + trainUri);
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
