package io.capstan.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chunk of a job: the lines of one input object that start in {@code [start, end)} (a line that starts before
 * {@code start} belongs to the chunk before; one that starts before {@code end} is read to its end); of a Parquet
 * object, the row groups that start there.
 *
 * @param index  the chunk's position in the plan, from 0; it names the output part
 * @param key    the input object
 * @param start  the first byte of the range
 * @param end    the byte after the range
 */
public record BatchChunk(int index, String key, long start, long end) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public BatchChunk {
        if (index < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("a chunk needs index >= 0 and 0 <= start <= end, got " + index + ", "
                    + start + ", " + end);
        }
    }

    /**
     * The objects' bytes in ranges of at most {@code chunkBytes}, object by object in the map's order, indexed
     * from 0; an empty object has none.
     *
     * @param sizes each object's size, by key, in the order the chunks take them
     */
    public static List<BatchChunk> split(Map<String, Long> sizes, long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be at least 1, got " + chunkBytes);
        }
        List<BatchChunk> chunks = new ArrayList<>();
        sizes.forEach((key, size) -> {
            for (long start = 0; start < size; start += chunkBytes) {
                chunks.add(new BatchChunk(chunks.size(), key, start, Math.min(size, start + chunkBytes)));
            }
        });
        return chunks;
    }

    /**
     * The objects cut only where a unit starts (a Parquet object's row groups): each chunk takes the units that start
     * less than {@code chunkBytes} after its first one, so it holds at least one; it ends where the next chunk's
     * first unit starts, the last one at the object's end. Object by object in the map's order, indexed from 0.
     *
     * @param starts each object's unit starts, ascending, by key, in the order the chunks take them
     * @param sizes  each object's size, by key
     */
    public static List<BatchChunk> splitAt(Map<String, List<Long>> starts, Map<String, Long> sizes,
                                           long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be at least 1, got " + chunkBytes);
        }
        List<BatchChunk> chunks = new ArrayList<>();
        starts.forEach((key, at) -> {
            int first = 0;
            while (first < at.size()) {
                long start = at.get(first);
                int next = first + 1;
                while (next < at.size() && at.get(next) - start < chunkBytes) {
                    next++;
                }
                chunks.add(new BatchChunk(chunks.size(), key, start, next < at.size() ? at.get(next)
                        : sizes.get(key)));
                first = next;
            }
        });
        return chunks;
    }

    public ObjectNode toJson() {
        return JSON.createObjectNode().put("index", index).put("key", key).put("start", start).put("end", end);
    }

    public static BatchChunk fromJson(JsonNode json) {
        return new BatchChunk(json.path("index").asInt(), json.path("key").asText(), json.path("start").asLong(),
                json.path("end").asLong());
    }
}
