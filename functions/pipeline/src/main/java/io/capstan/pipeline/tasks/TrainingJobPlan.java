package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.pipeline.RetrainStateMachine;
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
 * the GPU resource requirement, the attempt duration), and how long the training state may wait for the job.
 *
 * <p>Batch runs Capstan's trainer image only: a job definition fixes its image and {@code SubmitJob} cannot override
 * it, so a requested {@code training.image} is refused on Batch (SageMaker takes any image per job). A GPU count
 * no instance of the GPU compute environment can hold is refused too, rather than left waiting in the queue.
 */
final class TrainingJobPlan {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The image name the training states get where no image is deployed: the local trainer ignores it. */
    static final String LOCAL_IMAGE = "capstan-trainer:local";
    /**
     * Time a SageMaker job may spend beyond its run time, in seconds: provisioning the instance, pulling the image,
     * downloading the data and uploading the model.
     */
    static final long SAGEMAKER_OVERHEAD_SECONDS = 3600;
    /** Time one Batch attempt may spend starting (the instance booting, the image pull), in seconds. */
    static final long BATCH_START_SECONDS = 900;
    /** The shortest attempt duration AWS Batch accepts, in seconds. */
    static final long BATCH_MIN_ATTEMPT_SECONDS = 60;
    /** The longest a Standard execution may run (a year), the bound of every task timeout, in seconds. */
    static final long MAX_TASK_TIMEOUT_SECONDS = 365L * 24 * 3600;

    private TrainingJobPlan() {
    }

    /** The execution's training job: its data under {@code <prefix>/train/}, its output under {@code prefix}. */
    static ObjectNode of(PipelineSettings settings, String model, String execution, Map<String, String> hyperparameters,
                         String prefix, PipelineServices services) {
        return of(settings, model, execution, hyperparameters, "s3://" + services.artifactBucket() + "/" + prefix
                + "/train/", "", prefix, services);
    }

    /**
     * A training job on {@code trainUri} (and the {@code validation} channel at {@code validationUri} unless empty)
     * writing under {@code prefix}, named after the model and {@code jobKey} (an execution, or a trial of one).
     */
    static ObjectNode of(PipelineSettings settings, String model, String jobKey, Map<String, String> hyperparameters,
                         String trainUri, String validationUri, String prefix, PipelineServices services) {
        String platform = settings.trainingPlatform();
        int gpus = settings.gpuCount();
        String instanceType = settings.instanceType();
        String image = settings.text("training.image");
        if (platform.equals("batch")) {
            checkBatch(image, gpus, services);
        }
        image = !image.isEmpty() ? image : !services.trainerImage().isEmpty() ? services.trainerImage() : LOCAL_IMAGE;
        long maxRuntime = settings.maxRuntimeSeconds();
        long batchAttempt = Math.max(maxRuntime, BATCH_MIN_ATTEMPT_SECONDS);
        String bucket = "s3://" + services.artifactBucket() + "/";
        String modelOutputUri = bucket + prefix + "/model/";

        ObjectNode training = JSON.createObjectNode().put("platform", platform).put("job_name", jobName(model, jobKey))
                .put("image", image).put("instance_type", instanceType).put("gpu_count", gpus)
                .put("max_runtime_seconds", maxRuntime).put("batch_attempt_seconds", batchAttempt)
                .put("task_timeout_seconds", platform.equals("batch") ? batchTaskTimeout(batchAttempt)
                        : sageMakerTaskTimeout(maxRuntime))
                .put("output_uri", bucket + prefix + "/output/").put("model_output_uri", modelOutputUri)
                .put("train_uri", trainUri).put("validation_uri", validationUri);
        ObjectNode hyper = training.putObject("hyperparameters");
        hyperparameters.forEach(hyper::put);
        ArrayNode definitions = training.putArray("metric_definitions");
        services.metricDefinitions().forEach(d -> {
            ObjectNode definition = definitions.addObject();
            d.forEach(definition::put);
        });
        Map<String, String> batch = new LinkedHashMap<>(hyperparameters);
        batch.put("train_uri", trainUri);
        if (!validationUri.isEmpty()) {
            batch.put("validation_uri", validationUri);
        }
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
     * How long the SageMaker training state waits: the job's run time and its overhead. Past it the state fails
     * with {@code States.Timeout} and Step Functions stops the job.
     */
    static long sageMakerTaskTimeout(long maxRuntimeSeconds) {
        return Math.min(maxRuntimeSeconds + SAGEMAKER_OVERHEAD_SECONDS, MAX_TASK_TIMEOUT_SECONDS);
    }

    /**
     * How long the Batch training state waits: every attempt the job definition allows, each waiting for capacity
     * at most as long as the queue lets it, starting, and running its attempt duration.
     */
    static long batchTaskTimeout(long attemptSeconds) {
        long perAttempt = RetrainStateMachine.BATCH_CAPACITY_WAIT_SECONDS + BATCH_START_SECONDS + attemptSeconds;
        return Math.min(RetrainStateMachine.BATCH_ATTEMPTS * perAttempt, MAX_TASK_TIMEOUT_SECONDS);
    }

    private static void checkBatch(String image, int gpus, PipelineServices services) {
        if (!image.isEmpty() && !image.equals(services.trainerImage())) {
            throw CapstanException.invalidParameter("training.image '" + image + "' cannot run on AWS Batch: its job "
                    + "definition fixes the image to Capstan's trainer and a job cannot override it. Leave "
                    + "training.image unset to train on Batch, or set training.platform to 'sagemaker' to train on "
                    + "this image.");
        }
        if (gpus > services.batchMaxGpus()) {
            throw CapstanException.invalidParameter("training.gpu_count " + gpus + " is more than one instance of the "
                    + "Batch GPU compute environment holds (" + services.batchMaxGpus() + " within its vCPU limit, "
                    + "the CDK context key capstan:batchMaxVcpus): ask for at most " + services.batchMaxGpus()
                    + " GPUs, raise capstan:batchMaxVcpus (docs/DEPLOY.md lists the GPUs per limit), or train on "
                    + "SageMaker.");
        }
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
