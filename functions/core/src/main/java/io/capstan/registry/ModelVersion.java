package io.capstan.registry;

import io.capstan.provenance.Provenance;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a registered model.
 *
 * @param name                 the registered model's name
 * @param version              1, 2, …; never reused after a delete
 * @param creationTimestamp    epoch milliseconds
 * @param lastUpdatedTimestamp epoch milliseconds
 * @param userId               who registered it (the caller's identity)
 * @param stage                legacy stage
 * @param description          free text, empty when none
 * @param source               where the model came from, as given ({@code runs:/…}, {@code mlflow-artifacts:/…},
 *                             {@code s3://…})
 * @param runId                the run that produced it, empty when unknown
 * @param runLink              a link to that run, empty when none
 * @param status               registration status
 * @param statusMessage        why registration failed, or a short note; empty when none
 * @param tags                 tags
 * @param storageLocation      the registry's own immutable copy: a folder URI holding {@code model.onnx} and
 *                             {@code model-card.json}; empty until the copy is made
 * @param provenance           where the version came from; {@link Provenance#UNKNOWN} until registration read it
 * @param modelId              the MLflow 3 logged model the version was registered from; empty when none
 * @param serving              whether Capstan can serve it; when null, a {@code READY} version registered by a release
 *                             that checked every model (release 1) reads as servable, any other as not yet
 */
public record ModelVersion(String name, long version, long creationTimestamp, long lastUpdatedTimestamp,
                           String userId, Stage stage, String description, String source, String runId,
                           String runLink, ModelVersionStatus status, String statusMessage, Map<String, String> tags,
                           String storageLocation, Provenance provenance, String modelId, Servability serving) {
    public ModelVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(status, "status");
        userId = userId == null ? "" : userId;
        description = description == null ? "" : description;
        source = source == null ? "" : source;
        runId = runId == null ? "" : runId;
        runLink = runLink == null ? "" : runLink;
        statusMessage = statusMessage == null ? "" : statusMessage;
        tags = Map.copyOf(tags);
        storageLocation = storageLocation == null ? "" : storageLocation;
        provenance = provenance == null ? Provenance.UNKNOWN : provenance;
        modelId = modelId == null ? "" : modelId;
        if (serving == null) {
            serving = status == ModelVersionStatus.READY ? Servability.SERVABLE : Servability.notServable(
                    status == ModelVersionStatus.FAILED_REGISTRATION ? "registration failed: " + statusMessage
                            : "the version is still being registered");
        }
    }

    /** A version as release 1 recorded it, before logged models and servability verdicts. */
    public ModelVersion(String name, long version, long creationTimestamp, long lastUpdatedTimestamp, String userId,
                        Stage stage, String description, String source, String runId, String runLink,
                        ModelVersionStatus status, String statusMessage, Map<String, String> tags,
                        String storageLocation, Provenance provenance) {
        this(name, version, creationTimestamp, lastUpdatedTimestamp, userId, stage, description, source, runId,
                runLink, status, statusMessage, tags, storageLocation, provenance, "", null);
    }

    public boolean isReady() {
        return status == ModelVersionStatus.READY;
    }

    public ModelVersion withStage(Stage newStage, long now) {
        return new ModelVersion(name, version, creationTimestamp, now, userId, newStage, description, source, runId,
                runLink, status, statusMessage, tags, storageLocation, provenance, modelId, serving);
    }

    public ModelVersion withDescription(String newDescription, long now) {
        return new ModelVersion(name, version, creationTimestamp, now, userId, stage, newDescription, source, runId,
                runLink, status, statusMessage, tags, storageLocation, provenance, modelId, serving);
    }

    public ModelVersion withTags(Map<String, String> newTags, long now) {
        return new ModelVersion(name, version, creationTimestamp, now, userId, stage, description, source, runId,
                runLink, status, statusMessage, newTags, storageLocation, provenance, modelId, serving);
    }

    public ModelVersion withName(String newName) {
        return new ModelVersion(newName, version, creationTimestamp, lastUpdatedTimestamp, userId, stage, description,
                source, runId, runLink, status, statusMessage, tags, storageLocation, provenance, modelId, serving);
    }

    /** The outcome of registration: ready with its copy, provenance and verdict, or failed with the reason. */
    public ModelVersion registered(ModelVersionStatus newStatus, String message, String location,
                                   Provenance newProvenance, Servability newServing, long now) {
        return new ModelVersion(name, version, creationTimestamp, now, userId, stage, description, source, runId,
                runLink, newStatus, message, tags, location, newProvenance, modelId, newServing);
    }

    /** Whether the version is ready and Capstan can serve it. */
    public boolean isServable() {
        return isReady() && serving.servable();
    }
}
