package io.capstan.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chunks cut only where a unit (a Parquet row group) starts: every unit in exactly one chunk, at least one each. */
class BatchChunkTest {

    @Test
    void cutAtUnitStarts_eachChunkTakesTheUnitsStartingWithinItsSize_andEndsAtTheNextChunk() {
        Map<String, List<Long>> starts = new LinkedHashMap<>();
        starts.put("a.parquet", List.of(4L, 100L, 150L, 400L, 410L));
        starts.put("b.parquet", List.of(4L));
        Map<String, Long> sizes = Map.of("a.parquet", 600L, "b.parquet", 50L);

        List<BatchChunk> chunks = BatchChunk.splitAt(starts, sizes, 200);

        assertThat(chunks).containsExactly(
                new BatchChunk(0, "a.parquet", 4, 400),
                new BatchChunk(1, "a.parquet", 400, 600),
                new BatchChunk(2, "b.parquet", 4, 50));
    }

    @Test
    void aUnitLargerThanTheChunkSize_isAChunkOfItsOwn() {
        List<BatchChunk> chunks = BatchChunk.splitAt(Map.of("a", List.of(4L, 1_000L, 2_000L)), Map.of("a", 2_500L), 10);

        assertThat(chunks).extracting(BatchChunk::start).containsExactly(4L, 1_000L, 2_000L);
        assertThat(chunks).extracting(BatchChunk::end).containsExactly(1_000L, 2_000L, 2_500L);
    }
}
