package io.capstan.drift.monitoring;

import java.io.BufferedReader;
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
