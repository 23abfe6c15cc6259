package io.capstan.predict.batch;

import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchFormat;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchKeys;
import io.capstan.error.CapstanException;
import io.capstan.predict.batch.parquet.ParquetRows;
import io.capstan.predict.batch.parquet.RangedInputFile;
import io.capstan.predict.batch.parquet.UnsupportedParquetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a job's input into chunks: its objects of the job's format in key order (a prefix's, leaving out anything
 * under the job's output prefix and Capstan's own records), each object into byte ranges of at most the job's chunk
 * size; a Parquet object into runs of its row groups (its footer read and its columns checked here, so a file that
 * cannot be read fails the job before any chunk runs). The plan is an S3 object the state machine's Map reads (an
 * ItemReader), so the execution's 256 KiB state does not bound it; the finish task reads every chunk's record within
 * one invocation, so a plan has at most {@value #MAX_CHUNKS} chunks: a larger input gets larger chunks.
 */
public final class BatchPlanner {
    /** The most chunks one plan holds. */
    public static final int MAX_CHUNKS = 10_000;

    private final BatchObjects objects;

    public BatchPlanner(BatchObjects objects) {
        this.objects = Objects.requireNonNull(objects, "objects");
    }

    /**
     * @throws CapstanException {@code RESOURCE_DOES_NOT_EXIST} when the input holds no object of the format
     */
    public List<BatchChunk> plan(BatchJob job) {
        List<BatchObjects.Listed> inputs = inputs(job);
        long total = inputs.stream().mapToLong(BatchObjects.Listed::size).sum();
        long chunkBytes = Math.max(job.chunkBytes(), (total + MAX_CHUNKS - 1) / MAX_CHUNKS);
        Map<String, Long> sizes = new LinkedHashMap<>();
        inputs.forEach(input -> sizes.put(input.key(), input.size()));
        List<BatchChunk> chunks = job.format() == BatchFormat.PARQUET
                ? BatchChunk.splitAt(rowGroupStarts(job, sizes), sizes, chunkBytes)
                : BatchChunk.split(sizes, chunkBytes);
        if (chunks.size() > MAX_CHUNKS) {
            // many small objects: each is at least one chunk
            throw CapstanException.invalidParameter("The input holds " + inputs.size() + " objects; a job reads at"
                    + " most " + MAX_CHUNKS + " chunks, so name a prefix with fewer, larger objects.");
        }
        return chunks;
    }

    /**
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming an object that is not Parquet, a column that
     *                          cannot be read, or an id column missing
     */
    private Map<String, List<Long>> rowGroupStarts(BatchJob job, Map<String, Long> sizes) {
        String bucket = job.input().bucket();
        Map<String, List<Long>> starts = new LinkedHashMap<>();
        sizes.forEach((key, size) -> {
            String where = "s3://" + bucket + "/" + key;
            RangedInputFile footer = new RangedInputFile(size, 0, 0, (from, to) -> objects.open(bucket, key, from, to));
            try (ParquetRows rows = ParquetRows.open(footer, where)) {
                job.idColumn().filter(id -> !rows.columnNames().contains(id)).ifPresent(id -> {
                    throw CapstanException.invalidParameter(where + " has no column '" + id + "', which the job"
                            + " names as its id column; its columns are " + rows.columnNames() + ".");
                });
                starts.put(key, rows.rowGroupStarts());
            } catch (UnsupportedParquetException | UncheckedIOException e) {
                throw CapstanException.invalidParameter(e.getMessage() + ".");
            } catch (IOException e) {
                throw new UncheckedIOException(where, e);
            }
        });
        return starts;
    }

    private List<BatchObjects.Listed> inputs(BatchJob job) {
        String bucket = job.input().bucket();
        if (!job.input().isPrefix()) {
            long size = objects.size(bucket, job.input().key()).orElseThrow(() -> CapstanException.notFound(
                    "The input " + job.input() + " does not exist."));
            return size == 0 ? List.of() : List.of(new BatchObjects.Listed(job.input().key(), size));
        }
        String outputs = job.output().bucket().equals(bucket) ? job.output().key() : null;
        List<BatchObjects.Listed> found = objects.list(bucket, job.input().key()).stream()
                .filter(object -> job.format().matches(object.key()) && object.size() > 0)
                .filter(object -> outputs == null || !object.key().startsWith(outputs))
                .filter(object -> !object.key().contains("/" + BatchKeys.RECORDS))
                .toList();
        if (found.isEmpty()) {
            throw CapstanException.notFound("The input " + job.input() + " holds no " + job.format().wireName()
                    + " object (" + job.format().extension() + ").");
        }
        return found;
    }
}
