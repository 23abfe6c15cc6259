package io.capstan.pipeline.tasks;

import java.util.Optional;

/**
 * The dataset bucket as the validate task reads it: the one bucket the pipeline trains from, read one object version
 * at a time, so that an execution trains on the very object that started it.
 */
public interface DatasetObjects {

    /** The bucket's name, as {@code s3://} URIs give it. */
    String bucket();

    /**
     * One version of an object's content.
     *
     * @param key     the object's key
     * @param version the object's S3 version id, or its ETag where the bucket keeps no versions (the upload trigger
     *                records whichever the event carries); empty for the current object
     * @return the bytes; empty when there is no object at {@code key}, or none in that version (an ETag that is no
     *         longer the object's: it was overwritten since)
     * @throws io.capstan.error.CapstanException TEMPORARILY_UNAVAILABLE (retryable) when the store fails
     */
    Optional<byte[]> read(String key, String version);
}
