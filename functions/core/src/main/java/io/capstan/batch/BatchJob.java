package io.capstan.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch prediction job as its state machine carries it: the model's version pinned when the job was accepted, where
 * the rows are and where the predictions go, their format, the id column and the chunk size.
 *
 * @param jobId          the job's id, also its execution's name
 * @param model          the registered model
 * @param version        the version every chunk is scored with
 * @param input          an object, or a prefix whose objects of the format are read in key order
 * @param output         the prefix the parts and the manifest are written under
 * @param idColumn       the input's column of row ids, copied to the output; empty: each row is identified by its
 *                       object and byte offset
 * @param chunkBytes     the most input bytes one chunk reads (an object larger than this is read in ranges)
 * @param maxConcurrency the most chunks scored at once
 * @param createdAt      when the job was accepted, epoch ms
 */
public record BatchJob(String jobId, String model, long version, S3Location input, S3Location output,
                       BatchFormat format, Optional<String> idColumn, long chunkBytes, int maxConcurrency,
                       long createdAt) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The default chunk: 64 MiB of input. */
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;
    /** The default number of chunks scored at once. */
    public static final int DEFAULT_MAX_CONCURRENCY = 10;

    public BatchJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(idColumn, "idColumn");
        if (!output.isPrefix()) {
            throw new IllegalArgumentException("the output must be a prefix, got " + output);
        }
    }

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode().put("job_id", jobId).put("model", model).put("version", version)
                .put("input", input.toString()).put("output", output.toString()).put("format", format.wireName())
                .put("chunk_bytes", chunkBytes).put("max_concurrency", maxConcurrency).put("created_at", createdAt);
        idColumn.ifPresent(column -> json.put("id_column", column));
        return json;
    }

    /** The job {@link #toJson()} wrote. */
    public static BatchJob fromJson(JsonNode json) {
        return new BatchJob(json.path("job_id").asText(), json.path("model").asText(), json.path("version").asLong(),
                S3Location.parse("input", json.path("input").asText()),
                S3Location.parse("output", json.path("output").asText()),
                BatchFormat.parse(json.path("format").asText()),
                json.hasNonNull("id_column") ? Optional.of(json.get("id_column").asText()) : Optional.empty(),
                json.path("chunk_bytes").asLong(DEFAULT_CHUNK_BYTES),
                json.path("max_concurrency").asInt(DEFAULT_MAX_CONCURRENCY), json.path("created_at").asLong());
    }
}
