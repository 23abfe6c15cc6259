package io.capstan.drift.monitoring;

import java.io.BufferedReader;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** The objects a drift check reads and writes: reference profiles, captured sketches, datasets and reports. */
public interface DriftStorage {

    /** An object's bytes; empty when there is no such object (or it may not be read). */
    Optional<byte[]> read(ObjectLocation location);

    /**
     * A text object (UTF-8) to read line by line; empty when there is no such object (or it may not be read). Close
     * it.
     */
    Optional<BufferedReader> openText(ObjectLocation location);

    /**
     * The object's bytes from {@code from} (inclusive) to {@code to} (exclusive, or its end when beyond it), streamed.
     * Close it.
     *
     * @throws io.capstan.error.CapstanException RESOURCE_DOES_NOT_EXIST when the object is gone
     */
    InputStream openRange(ObjectLocation location, long from, long to);

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<StoredObject> list(String bucket, String prefix);

    void write(ObjectLocation location, byte[] content, String contentType);

    /**
     * One listed object.
     *
     * @param location     where it is
     * @param size         bytes
     * @param lastModified epoch milliseconds
     */
    record StoredObject(ObjectLocation location, long size, long lastModified) {
    }
}
