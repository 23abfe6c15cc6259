package io.capstan.drift.distributed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchChunk;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.DriftStorage;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.error.CapstanException;
import io.capstan.provenance.Sha256;
import io.capstan.workflow.WorkflowEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Drift checks of datasets larger than one function holds: a dataset (or reference) over
 * {@link Distribution#inProcessUpToBytes()}, or named by a prefix, is split into chunks of CSV lines, and the profile state
 * machine ({@code step-functions/profile-dataset.asl.json}) profiles each chunk into mergeable sketches and merges
 * them into the report. Planned when the check is asked for, so a missing dataset or column is refused at once; the
 * plan is stored in the check's folder, where the Map reads it.
 *
 * @param storage      lists and sizes the datasets, keeps the plans
 * @param buckets      where the plans go (beside the report, in the capture bucket)
 * @param distribution where and how the checks run
 */
public record DistributedChecks(DriftStorage storage, DriftBuckets buckets, Distribution distribution) {
    /**
     * The default switch: 256 MiB of CSV, some 27M values of ten characters, 215 MB as doubles, which the exact check
     * holds, copies and sorts within the drift function's 2,048 MB.
     */
    public static final long DEFAULT_IN_PROCESS_UP_TO_BYTES = 256L << 20;
    /** The default chunk: 64 MiB of CSV, profiled in under a second on one vCPU (docs/PERFORMANCE-drift.md). */
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_CONCURRENCY = 100;
    /**
     * The most chunks of one check (both sides): the plan is an S3 object the Map reads (an ItemReader), so the
     * execution's 256 KiB do not bound it; the finish merges every chunk's profile within one invocation.
     */
    public static final int MAX_CHUNKS = 10_000;
    /** The plan's name in the check's folder: a JSON array of the chunks. */
    public static final String PLAN = "plan.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Environment variables of the drift function that set the switch and the chunks. */
    public static final String IN_PROCESS_UP_TO_BYTES_ENV = "CAPSTAN_DRIFT_IN_PROCESS_UP_TO_BYTES";
    public static final String CHUNK_BYTES_ENV = "CAPSTAN_DRIFT_CHUNK_BYTES";

    public DistributedChecks {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(distribution, "distribution");
    }

    /**
     * Where and how distributed checks run.
     *
     * @param engine             runs the profile state machine
     * @param inProcessUpToBytes the largest dataset (and reference) still checked exactly in the drift function
     * @param chunkBytes         the bytes of CSV one chunk profiles (a larger dataset gets larger chunks, at most
     *                           {@value #MAX_CHUNKS} in all)
     * @param maxConcurrency     chunks profiled at once
     */
    public record Distribution(WorkflowEngine engine, long inProcessUpToBytes, long chunkBytes, int maxConcurrency) {
        public Distribution {
            Objects.requireNonNull(engine, "engine");
            if (inProcessUpToBytes < 0 || chunkBytes < 1 || maxConcurrency < 1) {
                throw new IllegalArgumentException("distributed checks need a threshold >= 0, chunks >= 1 byte and a"
                        + " concurrency >= 1");
            }
        }

        /** The defaults, with {@value #IN_PROCESS_UP_TO_BYTES_ENV} and {@value #CHUNK_BYTES_ENV} where set. */
        public static Distribution of(WorkflowEngine engine, Map<String, String> environment) {
            return new Distribution(engine, bytes(environment, IN_PROCESS_UP_TO_BYTES_ENV,
                    DEFAULT_IN_PROCESS_UP_TO_BYTES), bytes(environment, CHUNK_BYTES_ENV, DEFAULT_CHUNK_BYTES),
                    DEFAULT_MAX_CONCURRENCY);
        }

        private static long bytes(Map<String, String> environment, String name, long otherwise) {
            String value = environment.getOrDefault(name, "").strip();
            try {
                return value.isEmpty() ? otherwise : Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " must be a number of bytes, got '" + value + "'", e);
            }
        }
    }

    public int maxConcurrency() {
        return distribution.maxConcurrency();
    }

    /** Whether a check of {@code dataset} against {@code reference} runs distributed. */
    public boolean distributes(ObjectLocation dataset, Optional<ObjectLocation> reference) {
        return large(dataset) || reference.map(this::large).orElse(false);
    }

    /**
     * Plans the check's chunks and starts its execution.
     *
     * @param current the dataset's objects, as {@link #objects} listed them
     * @return the chunks, current side first
     * @throws CapstanException RESOURCE_DOES_NOT_EXIST when a dataset holds no CSV object
     */
    public List<ProfileChunk> start(DistributedCheck check, Map<String, Long> current) {
        Map<String, Long> reference = check.reference().map(this::objects).orElse(Map.of());
        // both sides share the chunks: each object is at least one, the bytes share the rest
        int objects = current.size() + reference.size();
        if (objects > MAX_CHUNKS) {
            throw CapstanException.invalidParameter("The datasets hold " + objects + " objects; a check reads at"
                    + " most " + MAX_CHUNKS + " (each object is at least one chunk): name a prefix with fewer, larger"
                    + " objects.");
        }
        LongSummaryStatistics sizes = Stream.concat(current.values().stream(), reference.values().stream())
                .mapToLong(Long::longValue).summaryStatistics();
        // chunks <= total / bytes + objects <= MAX_CHUNKS
        long bytes = Math.max(distribution.chunkBytes(), objects == MAX_CHUNKS ? sizes.getMax()
                : (sizes.getSum() + MAX_CHUNKS - objects - 1) / (MAX_CHUNKS - objects));
        List<ProfileChunk> chunks = new ArrayList<>(chunks(ProfileChunk.CURRENT, check.dataset().bucket(), current,
                bytes));
        check.reference().ifPresent(r -> chunks.addAll(chunks(ProfileChunk.REFERENCE, r.bucket(), reference, bytes)));
        ArrayNode items = JSON.createArrayNode();
        chunks.forEach(chunk -> items.add(chunk.toJson()));
        ObjectLocation plan = check.folder(buckets).child(PLAN);
        storage.write(plan, items.toString().getBytes(StandardCharsets.UTF_8), "application/json");
        ObjectNode input = JSON.createObjectNode();
        input.set("check", check.toJson());
        input.putObject("plan").put("bucket", plan.bucket()).put("key", plan.key()).put("chunks", chunks.size());
        distribution.engine().start(executionName(check.model(), check.checkId()), input);
        return chunks;
    }

    /** A check's plan, as {@link #start} stored it in the check's folder. */
    static List<ProfileChunk> readPlan(DriftStorage storage, ObjectLocation folder) {
        ObjectLocation plan = folder.child(PLAN);
        byte[] bytes = storage.read(plan).orElseThrow(() -> new IllegalStateException("the plan " + plan
                + " is missing"));
        List<ProfileChunk> chunks = new ArrayList<>();
        try {
            JSON.readTree(bytes).forEach(item -> chunks.add(ProfileChunk.fromJson(item)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the plan " + plan, e);
        }
        return chunks;
    }

    /** The check's execution, while it runs or after it failed. */
    public Optional<WorkflowEngine.Execution> execution(String model, String checkId) {
        return distribution.engine().execution(executionName(model, checkId));
    }

    /** The CSV objects of {@code location} with their sizes, in key order; a prefix leaves out other files. */
    public Map<String, Long> objects(ObjectLocation location) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        storage.list(location.bucket(), location.key()).stream()
                .filter(o -> location.isPrefix() ? o.location().key().toLowerCase(Locale.ROOT).endsWith(".csv")
                        : o.location().key().equals(location.key()))
                .filter(o -> o.size() > 0)
                .forEach(o -> sizes.put(o.location().key(), o.size()));
        if (sizes.isEmpty()) {
            throw CapstanException.notFound(location.isPrefix() ? "There is no CSV object (.csv) under " + location
                    + "." : "There is no dataset at " + location + ", or it is empty.");
        }
        return sizes;
    }

    private static List<ProfileChunk> chunks(String side, String bucket, Map<String, Long> sizes, long bytes) {
        return BatchChunk.split(sizes, bytes).stream().map(range -> new ProfileChunk(side, bucket, range)).toList();
    }

    private boolean large(ObjectLocation location) {
        if (location.isPrefix()) {
            return true;
        }
        return storage.list(location.bucket(), location.key()).stream()
                .filter(o -> o.location().key().equals(location.key()))
                .anyMatch(o -> o.size() > distribution.inProcessUpToBytes());
    }

    /** Step Functions' execution name: the report id and a digest of the model name (any characters). */
    static String executionName(String model, String checkId) {
        return checkId + "-" + Sha256.hex(model.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
