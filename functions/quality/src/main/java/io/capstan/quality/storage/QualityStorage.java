package io.capstan.quality.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The capture bucket as the quality function uses it: prediction records and feedback to read, feedback and reports
 * to write. Keys follow {@link io.capstan.monitoring.PredictionKeys} and {@link io.capstan.storage.KeyPrefixes}.
 */
public interface QualityStorage {

    /** Stores {@code bytes} under {@code key}. */
    void put(String key, byte[] bytes, String contentType);

    /** The keys under {@code prefix}, in key order. */
    default List<String> list(String prefix) {
        return objects(prefix).stream().map(StoredObject::key).toList();
    }

    /** The objects under {@code prefix} with their sizes, in key order. */
    List<StoredObject> objects(String prefix);

    /** The names of the folders right under {@code prefix} ({@code a/} for keys {@code <prefix>a/...}). */
    List<String> folders(String prefix);

    /** Copies the object at {@code key} to {@code target}. */
    void download(String key, Path target);

    /**
     * The key of the newest object under {@code prefix} of another bucket whose key {@code keys} accepts (the last
     * name among equals); empty if none.
     */
    Optional<String> newest(String bucket, String prefix, java.util.function.Predicate<String> keys);

    /** An object of another bucket, opened for reading; empty when there is none. The caller closes it. */
    Optional<InputStream> open(String bucket, String key);

    /** The object at {@code key}; empty when there is none. */
    Optional<byte[]> read(String key);
}
