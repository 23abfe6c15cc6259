package io.capstan.pipeline.tasks;

import io.capstan.pipeline.PipelineStore;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryService;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the pipeline's tasks work with: the tracking and registry services, the artifact and dataset stores, the
 * pipeline store, ONNX Runtime, and the deployment's facts (buckets, the trainer image, SageMaker metric
 * definitions, the most GPUs a Batch job may ask for) and where approval requests are announced.
 *
 * @param tracking          runs
 * @param registry          registered models and versions
 * @param promotions        aliases and their audit trail
 * @param artifacts         the artifact bucket (training data splits, models, run artifacts)
 * @param datasets          the dataset bucket, the only one datasets are read from
 * @param pipelines         upload claims and approvals
 * @param evaluation        ONNX Runtime scoring
 * @param artifactBucket    the artifact bucket's name, for {@code s3://} URIs
 * @param trainerImage      the default training image (Capstan's trainer), empty locally
 * @param metricDefinitions SageMaker MetricDefinitions for the trainer's log lines
 * @param clock             time
 * @param approvals         announces approval requests ({@link ApprovalNotifier#NONE} where nobody listens)
 * @param batchMaxGpus      the most GPUs one Batch training job may ask for: what the largest instance the GPU compute
 *                          environment may launch holds, 1 to {@value #MAX_GPUS}
 * @param tuningJobs        reads SageMaker tuning jobs' training jobs ({@code tuning.engine: sagemaker})
 */
public record PipelineServices(TrackingService tracking, RegistryService registry, PromotionService promotions,
                               ArtifactStore artifacts, DatasetObjects datasets, PipelineStore pipelines,
                               OnnxEvaluation evaluation, String artifactBucket, String trainerImage,
                               List<Map<String, String>> metricDefinitions, Clock clock, ApprovalNotifier approvals,
                               int batchMaxGpus, TuningJobs tuningJobs) {
    /** The most GPUs any training job may ask for ({@code training.gpu_count}). */
    public static final int MAX_GPUS = 8;

    public PipelineServices {
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(promotions, "promotions");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(datasets, "datasets");
        Objects.requireNonNull(pipelines, "pipelines");
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(artifactBucket, "artifactBucket");
        trainerImage = trainerImage == null ? "" : trainerImage;
        metricDefinitions = List.copyOf(metricDefinitions);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(tuningJobs, "tuningJobs");
        if (batchMaxGpus < 1 || batchMaxGpus > MAX_GPUS) {
            throw new IllegalArgumentException("batchMaxGpus must be within 1.." + MAX_GPUS + ", was " + batchMaxGpus);
        }
    }

    /** Services announcing no approval and allowing Batch jobs up to {@value #MAX_GPUS} GPUs (the embedded platform). */
    public PipelineServices(TrackingService tracking, RegistryService registry, PromotionService promotions,
                            ArtifactStore artifacts, DatasetObjects datasets, PipelineStore pipelines,
                            OnnxEvaluation evaluation, String artifactBucket, String trainerImage,
                            List<Map<String, String>> metricDefinitions, Clock clock) {
        this(tracking, registry, promotions, artifacts, datasets, pipelines, evaluation, artifactBucket, trainerImage,
                metricDefinitions, clock, ApprovalNotifier.NONE, MAX_GPUS, TuningJobs.NONE);
    }

    /** These services with the deployment's approval announcements and Batch GPU limit. */
    public PipelineServices deployedWith(ApprovalNotifier approvals, int batchMaxGpus) {
        return new PipelineServices(tracking, registry, promotions, artifacts, datasets, pipelines, evaluation,
                artifactBucket, trainerImage, metricDefinitions, clock, approvals, batchMaxGpus, tuningJobs);
    }

    /** These services reading SageMaker tuning jobs' training jobs from {@code jobs}. */
    public PipelineServices withTuningJobs(TuningJobs jobs) {
        return new PipelineServices(tracking, registry, promotions, artifacts, datasets, pipelines, evaluation,
                artifactBucket, trainerImage, metricDefinitions, clock, approvals, batchMaxGpus, jobs);
    }
}
