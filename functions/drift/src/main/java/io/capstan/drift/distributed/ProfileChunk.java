package io.capstan.drift.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchChunk;
import java.util.Objects;

/**
 * One chunk a distributed check profiles: a byte range of one CSV object of the current or the reference data.
 *
 * @param side   {@value #CURRENT} or {@value #REFERENCE}
 * @param bucket the object's bucket
 * @param range  the object and the range, indexed within its side from 0
 */
public record ProfileChunk(String side, String bucket, BatchChunk range) {
    public static final String CURRENT = "current";
    public static final String REFERENCE = "reference";

    public ProfileChunk {
        if (!CURRENT.equals(side) && !REFERENCE.equals(side)) {
            throw new IllegalArgumentException("a chunk's side is current or reference, got " + side);
        }
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(range, "range");
    }

    public ObjectNode toJson() {
        return range.toJson().put("side", side).put("bucket", bucket);
    }

    public static ProfileChunk fromJson(JsonNode json) {
        return new ProfileChunk(json.path("side").asText(), json.path("bucket").asText(), BatchChunk.fromJson(json));
    }
}
