package io.capstan.predict.batch;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The S3 operations batch tasks use, on any bucket the job names. */
public interface BatchObjects {

    /** An object's key and size. */
    record Listed(String key, long size) {
    }

    /** The objects under {@code prefix} of {@code bucket}, in key order. */
    List<Listed> list(String bucket, String prefix);

    /** The object's size; empty when there is none. */
    Optional<Long> size(String bucket, String key);

    /** The object's bytes from {@code from} (inclusive) to {@code to} (exclusive, or the end when -1), streamed. */
    InputStream open(String bucket, String key, long from, long to);

    /** Stores {@code file} at {@code key}. */
    void put(String bucket, String key, Path file, String contentType);

    /** Stores {@code bytes} at {@code key}. */
    void put(String bucket, String key, byte[] bytes, String contentType);

    /** The object's bytes; empty when there is none. */
    Optional<byte[]> read(String bucket, String key);
}
