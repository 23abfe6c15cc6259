package io.capstan.registry.function;

import io.capstan.model.ModelCard;
import io.capstan.profile.DatasetProfile;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.ArtifactStore.ArtifactContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Finds a model file and its card under an artifact key: the key is the ONNX file (the card beside it), a
 * {@code .tar.gz} holding both (SageMaker packs {@code /opt/ml/model} that way), or a folder holding
 * {@code model.onnx} (or its only {@code .onnx} file) and {@code model-card.json}. The reference profile
 * ({@code profile.json}, which Capstan's trainer writes beside the model) is picked up from the same place when it is
 * there; a model made elsewhere may have none.
 */
public final class SourceFiles {
    private final ArtifactStore artifacts;

    public SourceFiles(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** The model and its card, or what is missing. */
    public Lookup find(String key) {
        if (key.endsWith(".tar.gz") || key.endsWith(".tgz")) {
            return read(key).map(this::fromArchive).orElseGet(() -> new Missing("No archive at '" + key + "'."));
        }
        if (key.endsWith(".onnx")) {
            String folder = key.contains("/") ? key.substring(0, key.lastIndexOf('/')) : "";
            return pair(key, read(key), folder);
        }
        Optional<byte[]> model = read(key + "/" + ArtifactModelRegistration.MODEL_FILE);
        if (model.isPresent()) {
            return pair(key + "/" + ArtifactModelRegistration.MODEL_FILE, model, key);
        }
        List<String> onnxFiles = artifacts.list(key).stream().filter(e -> !e.isDir() && e.path().endsWith(".onnx"))
                .map(ArtifactStore.ArtifactEntry::path).toList();
        if (onnxFiles.size() == 1) {
            return pair(onnxFiles.get(0), read(onnxFiles.get(0)), key);
        }
        return new Missing(onnxFiles.isEmpty()
                ? "No model at '" + key + "': expected " + ArtifactModelRegistration.MODEL_FILE + " in that folder."
                : "'" + key + "' holds several ONNX files " + onnxFiles + " and no " + ArtifactModelRegistration.MODEL_FILE
                        + "; register one of them by its path.");
    }

    private Lookup pair(String modelKey, Optional<byte[]> model, String folder) {
        if (model.isEmpty()) {
            return new Missing("No model file at '" + modelKey + "'.");
        }
        String prefix = folder.isEmpty() ? "" : folder + "/";
        String cardKey = prefix + ModelCard.FILE_NAME;
        byte[] profile = read(prefix + DatasetProfile.FILE_NAME).orElse(null);
        return read(cardKey).<Lookup>map(card -> new Found(model.get(), card, profile)).orElseGet(() -> new Missing(
                "No " + ModelCard.FILE_NAME + " beside the model at '" + cardKey + "': Capstan needs the card (input"
                        + " columns, output labels) to check and serve the model."));
    }

    private Lookup fromArchive(byte[] archive) {
        byte[] model = null;
        byte[] card = null;
        byte[] profile = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String file = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (file.equals(ArtifactModelRegistration.MODEL_FILE)) {
                    model = tar.readAllBytes();
                } else if (file.equals(ModelCard.FILE_NAME)) {
                    card = tar.readAllBytes();
                } else if (file.equals(DatasetProfile.FILE_NAME)) {
                    profile = tar.readAllBytes();
                }
            }
        } catch (IOException e) {
            return new Missing("The model archive is not a readable .tar.gz: " + e.getMessage());
        }
        if (model == null || card == null) {
            return new Missing("The model archive lacks " + (model == null ? ArtifactModelRegistration.MODEL_FILE
                    : ModelCard.FILE_NAME) + ".");
        }
        return new Found(model, card, profile);
    }

    private Optional<byte[]> read(String key) {
        Optional<ArtifactContent> content = artifacts.get(key);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = content.get().stream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
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
