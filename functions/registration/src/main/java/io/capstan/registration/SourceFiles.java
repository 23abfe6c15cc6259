package io.capstan.registration;

import io.capstan.model.InvalidModelFormatException;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.profile.DatasetProfile;
import io.capstan.tracking.ArtifactStore;
import java.util.Optional;

/**
 * Finds a tabular model — its ONNX file, its card and, when there is one, its reference profile — under an artifact
 * key, for code that scores models itself (the retraining pipeline's evaluation and gate). The key is a registry copy
 * (whose {@value ServingManifest#FILE_NAME} names the model file and carries the card), a folder or {@code .tar.gz}
 * as Capstan's trainer writes it ({@code model.onnx} or its only {@code .onnx} file, with {@code model-card.json}),
 * or the ONNX file itself with the card beside it.
 */
public final class SourceFiles {
    private final ArtifactStore artifacts;

    public SourceFiles(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** The model and its card, or what is missing. */
    public Lookup find(String key) {
        SourceFolder folder = SourceFolder.read(artifacts, key);
        if (folder.isEmpty()) {
            return new Missing("No model at '" + key + "'.");
        }
        byte[] profile = folder.read(DatasetProfile.FILE_NAME).orElse(null);
        if (folder.has(ServingManifest.FILE_NAME)) {
            ServingManifest manifest;
            try {
                manifest = ServingManifest.fromJson(folder.read(ServingManifest.FILE_NAME).orElseThrow());
            } catch (InvalidModelFormatException e) {
                return new Missing("'" + key + "' has an unreadable " + ServingManifest.FILE_NAME + ": "
                        + e.getMessage());
            }
            ModelCard card = manifest.card();
            if (card == null || !card.isFormat1() || card.inputType() != ModelCard.TensorType.FLOAT) {
                return new Missing("The model at '" + key + "' is not a classifier answering a probability matrix"
                        + " from one float input, as Capstan's trainer writes them, so it cannot be scored here.");
            }
            Optional<byte[]> model = folder.read(manifest.modelFile());
            return model.<Lookup>map(bytes -> new Found(bytes, manifest.card().toJson(), profile)).orElseGet(() ->
                    new Missing("No model file at '" + key + "/" + manifest.modelFile() + "'."));
        }
        String modelFile = folder.has(ArtifactModelRegistration.MODEL_FILE) ? ArtifactModelRegistration.MODEL_FILE
                : folder.onnxFiles().size() == 1 ? folder.onnxFiles().get(0) : null;
        if (modelFile == null) {
            return new Missing(folder.onnxFiles().isEmpty() ? "No model at '" + key + "': expected "
                    + ArtifactModelRegistration.MODEL_FILE + " in that folder." : "'" + key + "' holds several ONNX files "
                    + folder.onnxFiles() + " and no " + ArtifactModelRegistration.MODEL_FILE + ".");
        }
        Optional<byte[]> card = folder.read(ModelCard.FILE_NAME);
        if (card.isEmpty()) {
            return new Missing("No " + ModelCard.FILE_NAME + " beside the model at '" + key + "': Capstan needs the"
                    + " card (input columns, output labels) to score the model.");
        }
        return new Found(folder.read(modelFile).orElseThrow(), card.get(), profile);
    }

    /** What a lookup found. */
    public sealed interface Lookup permits Found, Missing {
    }

    /**
     * The model file, its card and, when the source has one, its reference profile.
     *
     * @param profile the bytes of {@code profile.json}; null when the source has none
     */
    public record Found(byte[] model, byte[] card, byte[] profile) implements Lookup {

        /** The bytes of {@code profile.json}, if the source has one. */
        public Optional<byte[]> referenceProfile() {
            return Optional.ofNullable(profile);
        }
    }

    /** What is missing, for a person. */
    public record Missing(String reason) implements Lookup {
    }
}
