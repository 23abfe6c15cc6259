package io.capstan.batch.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.batch.S3Location;
import java.util.List;
import java.util.Optional;

/** What the batch API stores and reads: the jobs it accepted, and the records jobs write under their output. */
public interface BatchRecords {

    /** Stores an accepted job (its request and its pinned version). */
    void putJob(String model, String jobId, JsonNode job);

    /** An accepted job; empty when there is none. */
    Optional<JsonNode> job(String model, String jobId);

    /** The model's jobs, newest first, at most {@code max}. */
    List<JsonNode> jobs(String model, int max);

    /** Whether any object is under {@code prefix} (one listed key at most). */
    boolean any(S3Location prefix);

    /** How many objects are under {@code prefix}. */
    int count(S3Location prefix);

    /** The JSON object at {@code location}; empty when there is none. */
    Optional<JsonNode> read(S3Location location);
}
