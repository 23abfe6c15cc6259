package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchKeys;
import io.capstan.batch.ChunkResult;
import io.capstan.batch.S3Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Records a chunk's failure (after its retries) and, once every chunk has ended, the job's manifest: the version that
 * scored, each part with its rows, size and SHA-256, the chunks that failed with their error, the totals, and the
 * status — {@code SUCCEEDED} (every chunk written), {@code PARTIAL} (some failed, the rest written: re-run the failed
 * chunks with a new job on their objects) or {@code FAILED} (none written).
 */
public final class BatchFinisher {
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String PARTIAL = "PARTIAL";
    public static final String FAILED = "FAILED";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BatchObjects objects;
    private final Clock clock;

    public BatchFinisher(BatchObjects objects, Clock clock) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records that {@code chunk} failed with {@code error}: its result record says so. */
    public ObjectNode failed(BatchJob job, BatchChunk chunk, String error, String cause) {
        ObjectNode record = JSON.createObjectNode();
        record.set("chunk", chunk.toJson());
        record.put("error", error).put("cause", cause);
        S3Location key = BatchKeys.chunkResult(job, chunk.index());
        put(key, record);
        return record;
    }

    /**
     * Stores the job's plan where the state machine's Map reads its items ({@link BatchKeys#plan}): a JSON array of
     * the chunks.
     */
    public S3Location writePlan(BatchJob job, List<BatchChunk> chunks) {
        ArrayNode items = JSON.createArrayNode();
        chunks.forEach(chunk -> items.add(chunk.toJson()));
        S3Location location = BatchKeys.plan(job);
        put(location, items);
        return location;
    }

    /** The job's plan, as {@link #writePlan} stored it. */
    public List<BatchChunk> readPlan(BatchJob job) {
        S3Location location = BatchKeys.plan(job);
        JsonNode items = read(location).orElseThrow(() -> new IllegalStateException("the plan " + location
                + " is missing"));
        List<BatchChunk> plan = new ArrayList<>();
        items.forEach(item -> plan.add(BatchChunk.fromJson(item)));
        return plan;
    }

    /** Writes the manifest of {@code job} from its chunks' records and returns it. */
    public ObjectNode finish(BatchJob job, List<BatchChunk> plan) {
        ObjectNode manifest = job.toJson();
        ArrayNode parts = manifest.putArray("parts");
        ArrayNode failures = manifest.putArray("failed_chunks");
        long rows = 0;
        for (BatchChunk chunk : plan) {
            Optional<JsonNode> record = read(BatchKeys.chunkResult(job, chunk.index()));
            if (record.isPresent() && !record.get().has("error")) {
                ChunkResult result = ChunkResult.fromJson(record.get());
                parts.add(result.toJson());
                rows += result.rows();
            } else {
                ObjectNode failure = failures.addObject();
                failure.set("chunk", chunk.toJson());
                failure.put("error", record.map(r -> r.path("error").asText()).orElse("NotRecorded"))
                        .put("cause", record.map(r -> r.path("cause").asText()).orElse("the chunk left no record"));
            }
        }
        String status = failures.isEmpty() ? SUCCEEDED : parts.isEmpty() ? FAILED : PARTIAL;
        manifest.put("status", status).put("chunks", plan.size()).put("chunks_written", parts.size())
                .put("rows", rows).put("finished_at", clock.millis());
        put(BatchKeys.manifest(job), manifest);
        return manifest;
    }

    private Optional<JsonNode> read(S3Location location) {
        return objects.read(location.bucket(), location.key()).map(bytes -> {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + location, e);
            }
        });
    }

    private void put(S3Location location, JsonNode json) {
        try {
            objects.put(location.bucket(), location.key(), JSON.writeValueAsBytes(json), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
