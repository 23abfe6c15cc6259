package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training job as the state machine's training states take it: the fields of SageMaker's
 * {@code CreateTrainingJob} (image, instance, hyperparameters as strings, metric definitions, output path) and of
 * Batch's {@code SubmitJob} (the hyperparameters as {@code SM_HPS} with the S3 locations the trainer stages itself,
 * the GPU resource requirement).
 */
final class TrainingJobPlan {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The image name the training states get where no image is deployed: the local trainer ignores it. */
    static final String LOCAL_IMAGE = "capstan-trainer:local";

    private TrainingJobPlan() {
    }

    static ObjectNode of(PipelineSettings settings, String model, String execution, Map<String, String> hyperparameters,
                         String prefix, PipelineServices services) {
        String platform = settings.trainingPlatform();
        int gpus = settings.gpuCount();
        String instanceType = settings.instanceType();
        String image = settings.text("training.image");
        image = !image.isEmpty() ? image : !services.trainerImage().isEmpty() ? services.trainerImage() : LOCAL_IMAGE;
        String bucket = "s3://" + services.artifactBucket() + "/";
        String modelOutputUri = bucket + prefix + "/model/";

        ObjectNode training = JSON.createObjectNode().put("platform", platform).put("job_name", jobName(model, execution))
                .put("image", image).put("instance_type", instanceType).put("gpu_count", gpus)
                .put("max_runtime_seconds", settings.maxRuntimeSeconds())
                .put("output_uri", bucket + prefix + "/output/").put("model_output_uri", modelOutputUri);
        ObjectNode hyper = training.putObject("hyperparameters");
        hyperparameters.forEach(hyper::put);
        ArrayNode definitions = training.putArray("metric_definitions");
        services.metricDefinitions().forEach(d -> {
            ObjectNode definition = definitions.addObject();
            d.forEach(definition::put);
        });
        Map<String, String> batch = new LinkedHashMap<>(hyperparameters);
        batch.put("train_uri", bucket + prefix + "/train/");
        batch.put("model_output_uri", modelOutputUri);
        try {
            training.put("batch_hyperparameters", JSON.writeValueAsString(batch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("string maps always serialize", e);
        }
        ArrayNode resources = training.putArray("batch_resources");
        if (gpus > 0) {
            resources.addObject().put("Type", "GPU").put("Value", Integer.toString(gpus));
        }
        return training;
    }

    /**
     * A name valid for SageMaker ({@code [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}}) and Batch: the model, the end of the
     * execution name, and a hash of both, so distinct executions never share a job name.
     */
    static String jobName(String model, String execution) {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((model + "/" + execution).getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String m = clean(model);
        String e = clean(execution);
        m = m.substring(0, Math.min(m.length(), 24));
        e = e.substring(Math.max(0, e.length() - 28));
        return (m.isEmpty() ? "capstan" : m) + "-" + (e.isEmpty() ? "run" : e) + "-" + hash;
    }

    private static String clean(String text) {
        return text.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }
}
