package io.capstan.registration;

import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.modelformat.MlModel;
import io.capstan.profile.DatasetProfile;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.ArtifactStore.ArtifactContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files a model version's source holds, by their path relative to the source: every object under a folder key,
 * the object a key names itself (with the model card and reference profile beside it, which Capstan's trainer writes
 * there), or the files of a SageMaker {@code .tar.gz} (read out of the archive, since they cannot be copied as objects).
 */
final class SourceFolder {
    /** A source with more files than this is recorded but not copied: a model folder is a handful of files. */
    static final int MAX_FILES = 1000;

    private final ArtifactStore artifacts;
    private final Map<String, String> keys;
    private final Map<String, byte[]> extracted;
    private final boolean truncated;
    private final String unreadable;

    private SourceFolder(ArtifactStore artifacts, Map<String, String> keys, Map<String, byte[]> extracted,
                         boolean truncated) {
        this(artifacts, keys, extracted, truncated, null);
    }

    private SourceFolder(ArtifactStore artifacts, Map<String, String> keys, Map<String, byte[]> extracted,
                         boolean truncated, String unreadable) {
        this.artifacts = artifacts;
        this.keys = keys;
        this.extracted = extracted;
        this.truncated = truncated;
        this.unreadable = unreadable;
    }

    static SourceFolder read(ArtifactStore artifacts, String key) {
        if (key.endsWith(".tar.gz") || key.endsWith(".tgz")) {
            return artifacts.get(key).map(content -> fromArchive(artifacts, bytes(content, key)))
                    .orElseGet(() -> new SourceFolder(artifacts, Map.of(), Map.of(), false));
        }
        Map<String, String> keys = new TreeMap<>();
        String parent = key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
        List<ArtifactStore.ArtifactEntry> tree = artifacts.listTree(key);
        if (tree.isEmpty()) {
            // the key names a file: take it, and the card and profile that Capstan's trainer writes beside it
            if (artifacts.get(key).map(c -> close(c)).isPresent()) {
                keys.put(key.substring(parent.length()), key);
                for (String sibling : List.of(ModelCard.FILE_NAME, DatasetProfile.FILE_NAME)) {
                    if (!key.endsWith("/" + sibling) && artifacts.get(parent + sibling).map(c -> close(c)).isPresent()) {
                        keys.put(sibling, parent + sibling);
                    }
                }
            }
            return new SourceFolder(artifacts, keys, Map.of(), false);
        }
        for (ArtifactStore.ArtifactEntry entry : tree) {
            if (keys.size() == MAX_FILES) {
                return new SourceFolder(artifacts, keys, Map.of(), true);
            }
            keys.put(entry.path().substring(key.length() + 1), entry.path());
        }
        return new SourceFolder(artifacts, keys, Map.of(), false);
    }

    /** The bytes the source at {@code key} holds (an archive: its own size), from listings alone. */
    static long size(ArtifactStore artifacts, String key) {
        boolean archive = key.endsWith(".tar.gz") || key.endsWith(".tgz");
        List<ArtifactStore.ArtifactEntry> tree = archive ? List.of() : artifacts.listTree(key);
        if (!tree.isEmpty()) {
            return tree.stream().mapToLong(ArtifactStore.ArtifactEntry::size).sum();
        }
        return artifacts.get(key).map(content -> close(content) ? content.size() : 0L).orElse(0L);
    }

    /** Why the source's archive could not be read; empty when it is no archive or it could be. */
    Optional<String> unreadable() {
        return Optional.ofNullable(unreadable);
    }

    boolean isEmpty() {
        return keys.isEmpty() && extracted.isEmpty();
    }

    /** Whether the source holds more than {@value #MAX_FILES} files, so that only the first were listed. */
    boolean isTruncated() {
        return truncated;
    }

    /** Relative paths of every file, sorted. */
    List<String> files() {
        TreeMap<String, Boolean> all = new TreeMap<>();
        keys.keySet().forEach(k -> all.put(k, true));
        extracted.keySet().forEach(k -> all.put(k, true));
        return List.copyOf(all.keySet());
    }

    boolean has(String file) {
        return keys.containsKey(file) || extracted.containsKey(file);
    }

    Optional<byte[]> read(String file) {
        if (extracted.containsKey(file)) {
            return Optional.of(extracted.get(file));
        }
        String key = keys.get(file);
        return key == null ? Optional.empty() : artifacts.get(key).map(content -> bytes(content, key));
    }

    /** The ONNX files at any depth, by relative path. */
    List<String> onnxFiles() {
        return files().stream().filter(f -> f.endsWith(".onnx")).toList();
    }

    /**
     * Copies every file into {@code folder}, object to object where the file is an object; a
     * {@value ServingManifest#FILE_NAME} in the source is left behind, since only the registry writes one.
     */
    void copyTo(String folder) {
        keys.forEach((file, key) -> {
            if (!file.equals(ServingManifest.FILE_NAME)) {
                artifacts.copy(key, folder + "/" + file);
            }
        });
        extracted.forEach((file, bytes) -> artifacts.put(folder + "/" + file, bytes));
    }

    private static SourceFolder fromArchive(ArtifactStore artifacts, byte[] archive) {
        Map<String, byte[]> files = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String file = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                boolean wanted = file.endsWith(".onnx") || file.equals(ModelCard.FILE_NAME)
                        || file.equals(DatasetProfile.FILE_NAME) || file.equals(MlModel.FILE_NAME);
                if (entry.isFile() && wanted) {
                    files.put(file, tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            return new SourceFolder(artifacts, Map.of(), Map.of(), false, "The model archive is not a readable"
                    + " .tar.gz: " + e.getMessage());
        }
        return new SourceFolder(artifacts, Map.of(), files, false);
    }

    private static boolean close(ArtifactContent content) {
        try {
            content.stream().close();
        } catch (IOException e) {
            // only its existence was wanted
        }
        return true;
    }

    private static byte[] bytes(ArtifactContent content, String key) {
        try (InputStream in = content.stream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
    }
}
