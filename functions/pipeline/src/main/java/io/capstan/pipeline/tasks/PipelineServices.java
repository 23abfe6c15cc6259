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
 * definitions).
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
 */
public record PipelineServices(TrackingService tracking, RegistryService registry, PromotionService promotions,
                               ArtifactStore artifacts, DatasetObjects datasets, PipelineStore pipelines,
                               OnnxEvaluation evaluation, String artifactBucket, String trainerImage,
                               List<Map<String, String>> metricDefinitions, Clock clock) {
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
    }
}
