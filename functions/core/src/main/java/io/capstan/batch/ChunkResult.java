package io.capstan.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What scoring one chunk wrote.
 *
 * @param chunk  the chunk
 * @param part   the output object's key
 * @param rows   the rows scored (the part's lines, less a CSV header)
 * @param bytes  the part's size
 * @param sha256 the part's SHA-256, hex
 */
public record ChunkResult(BatchChunk chunk, String part, long rows, long bytes, String sha256) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.set("chunk", chunk.toJson());
        return json.put("part", part).put("rows", rows).put("bytes", bytes).put("sha256", sha256);
    }

    public static ChunkResult fromJson(JsonNode json) {
        return new ChunkResult(BatchChunk.fromJson(json.path("chunk")), json.path("part").asText(),
                json.path("rows").asLong(), json.path("bytes").asLong(), json.path("sha256").asText());
    }
}
