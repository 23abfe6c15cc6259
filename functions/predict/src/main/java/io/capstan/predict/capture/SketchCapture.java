package io.capstan.predict.capture;

import io.capstan.predict.ResolvedModel;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.onnx.Scores;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.InvalidProfileException;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Captures traffic as sketches: each scored row (and, when the version's reference profile has them, the model's class
 * probabilities for it) is folded into a {@link StreamingProfile} per model version, which is flushed to a
 * {@link CaptureSink} when due: {@link CaptureSettings#flushInterval()} after the last flush, or earlier once a sketch
 * holds {@link CaptureSettings#maxRowsPerSketch()} rows.
 *
 * <p><b>Hot path.</b> A row costs one copy out of the scored direct buffer into a reused array and
 * {@link StreamingProfile#update(float[], int)}, which buffers it; every 512th row folds the buffer into the sketches
 * in bulk (about 40 ns a value, KLL's sort). No allocation per row. A version's sketch is guarded by its own lock,
 * held for one batch.
 *
 * <p><b>Large requests are sampled.</b> A request of at most {@link CaptureSettings#exactRows()} rows (R) has every
 * row folded. A larger one of B rows is cut into consecutive strata of {@code 2^j} rows, {@code j = ceil(log2(B /
 * R))}, and one row drawn uniformly from each stratum stands for it, with weight {@code 2^j}; the rows left after the
 * last whole stratum are cut the same way into strata of the powers of two that make up their number. So a request
 * folds fewer than R + j rows, whatever its size, and the weights add up to B: row counts stay exact. Weights are
 * powers of two because a KLL sketch weighs its items so (see {@code KllWeights} in the profile module). The sketches
 * then carry, besides KLL's own error, Hoeffding's bound on the sampling's
 * ({@link io.capstan.profile.NumericFeatureProfile#samplingRankError()}), which the drift check adds to its bounds.
 *
 * <p><b>Flushing.</b> Lambda runs no thread between invocations, so {@link #flushIfDue()} is called inline, after a
 * request's answer is built: the request that finds the interval elapsed pays for serializing the sketches and the
 * PUT. A multi-threaded host may also call it from a timer ({@link #startBackgroundFlush()}). One flush runs at a time.
 * A flush swaps each version's sketch for a fresh one, names it (the name is fixed from then on) and writes it. When
 * the write fails, the named sketch is kept and written again, under the same name, at the next flush before anything
 * newer, while new rows go on into the fresh sketch: a sketch is never lost to a failed write and never stored under
 * two names, so no row is counted twice. After a failed write only the interval triggers the next attempt (not a full
 * sketch), so an S3 outage does not make every request wait for a failing PUT.
 *
 * <p><b>SnapStart.</b> {@link #beforeCheckpoint()} flushes and then drops what could still not be written, so that a
 * snapshot holds no rows that every restored environment would write again; {@link #afterRestore()} gives the
 * restored environment its own container name.
 */
public final class SketchCapture implements TrafficCapture {
    private static final System.Logger LOG = System.getLogger(SketchCapture.class.getName());

    private final CaptureSink sink;
    private final CaptureSettings settings;
    private final Clock clock;
    private final Map<VersionKey, VersionCapture> captures = new ConcurrentHashMap<>();
    private final Map<VersionKey, CaptureSchema> schemas = new ConcurrentHashMap<>();
    private final Map<VersionKey, Long> schemaRetryAt = new ConcurrentHashMap<>();
    private final Object schemaLock = new Object();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final AtomicLong failures = new AtomicLong();
    private volatile SketchNames keys = SketchNames.newContainer();
    private volatile long nextFlushAt;
    private volatile boolean rowLimitReached;
    private volatile boolean lastFlushFailed;
    private final FlushTimer flushTimer = new FlushTimer();

    private record VersionKey(String name, String version) {
    }

    /** A sketch taken out of service by a flush, with the name it is stored under. */
    private record PendingSketch(String key, byte[] bytes, long rows) {
    }

    private SketchCapture(CaptureSink sink, CaptureSettings settings, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextFlushAt = clock.millis() + settings.flushInterval().toMillis();
    }

    public static SketchCapture create(CaptureSink sink, CaptureSettings settings, Clock clock) {
        return new SketchCapture(sink, settings, clock);
    }

    /** The random name of this container in the sketches' keys. */
    public String container() {
        return keys.container();
    }

    /**
     * Starts a daemon timer that calls {@link #flushIfDue()} (every second, or every interval when shorter), so that a
     * sketch is flushed on time without further requests. For long-lived multi-threaded hosts (the local platform);
     * {@link #close()} stops it.
     */
    public SketchCapture startBackgroundFlush() {
        flushTimer.start(this::flushIfDue, settings.flushInterval(), "capstan-capture-flush");
        return this;
    }

    @Override
    public void record(ResolvedModel model, FeatureMatrix features, Scores scores) {
        try {
            // a second attempt when a flush retired the version's idle capture meanwhile (it is then out of the map)
            for (int attempt = 0; attempt < 2; attempt++) {
                VersionCapture capture = captureOf(model);
                if (capture == null) {
                    return;
                }
                long rows = capture.add(features, scores, settings.exactRows());
                if (rows >= 0) {
                    if (rows >= settings.maxRowsPerSketch()) {
                        rowLimitReached = true;
                    }
                    return;
                }
            }
        } catch (RuntimeException e) {
            logFailure("capturing " + features.rows() + " rows of model '" + model.name() + "' version "
                    + model.version() + " failed; the prediction is unaffected", e);
        }
    }

    @Override
    public void prepare(ResolvedModel model) {
        try {
            captureOf(model);
        } catch (RuntimeException e) {
            logFailure("preparing the capture of model '" + model.name() + "' version " + model.version()
                    + " failed", e);
        }
    }

    @Override
    public void flushIfDue() {
        // after a failed write only the interval triggers the next attempt: a full sketch must not make every request
        // of an S3 outage wait for another failing PUT
        if ((!rowLimitReached || lastFlushFailed) && clock.millis() < nextFlushAt) {
            return;
        }
        if (flushLock.tryLock()) {
            try {
                flushLocked();
            } finally {
                flushLock.unlock();
            }
        }
    }

    @Override
    public void flush() {
        flushLock.lock();
        try {
            flushLocked();
        } finally {
            flushLock.unlock();
        }
    }

    @Override
    public void beforeCheckpoint() {
        flushLock.lock();
        try {
            flushLocked();
            long now = clock.millis();
            for (VersionCapture capture : captures.values()) {
                if (capture.pending != null) {
                    dropBeforeCheckpoint(capture);
                    flush(capture, now); // the live rows held back behind the failed sketch
                    if (capture.pending != null) {
                        dropBeforeCheckpoint(capture);
                    }
                }
            }
        } finally {
            flushLock.unlock();
        }
    }

    private static void dropBeforeCheckpoint(VersionCapture capture) {
        LOG.log(System.Logger.Level.ERROR, "dropping {0} captured rows of model ''{1}'' version {2} before the snapshot:"
                + " {3} could not be written, and every environment restored from the snapshot would write them again",
                capture.pending.rows(), capture.key.name(), capture.key.version(), capture.pending.key());
        capture.pending = null;
    }

    @Override
    public void afterRestore() {
        keys = SketchNames.newContainer();
        nextFlushAt = clock.millis() + settings.flushInterval().toMillis();
    }

    /** Stops the background timer, if any, and flushes what is left (one attempt). */
    @Override
    public void close() {
        flushTimer.stop();
        flush();
        long unwritten = captures.values().stream().filter(c -> c.pending != null).mapToLong(c -> c.pending.rows())
                .sum();
        if (unwritten > 0) {
            LOG.log(System.Logger.Level.ERROR, "{0} captured rows could not be written at shutdown", unwritten);
        }
    }

    /** Rows captured but not yet stored: in live sketches and in sketches whose write failed. For tests and logs. */
    public long unflushedRows() {
        long rows = 0;
        for (VersionCapture capture : captures.values()) {
            rows += capture.liveRows();
            PendingSketch pending = capture.pending;
            rows += pending == null ? 0 : pending.rows();
        }
        return rows;
    }

    private VersionCapture captureOf(ResolvedModel model) {
        if (!model.isTabular()) {
            return null; // a model served as named tensors has no columns to sketch
        }
        VersionKey key = new VersionKey(model.name(), model.version());
        VersionCapture capture = captures.get(key);
        if (capture != null) {
            return capture;
        }
        CaptureSchema schema = schemaOf(key, model);
        if (schema == null) {
            return null;
        }
        return captures.computeIfAbsent(key, k -> new VersionCapture(k, schema, settings.sketch()));
    }

    /** The version's capture columns; null while its reference profile cannot be read (retried later). */
    private CaptureSchema schemaOf(VersionKey key, ResolvedModel model) {
        CaptureSchema schema = schemas.get(key);
        if (schema != null) {
            return schema;
        }
        Long retryAt = schemaRetryAt.get(key);
        if (retryAt != null && clock.millis() < retryAt) {
            return null;
        }
        synchronized (schemaLock) {
            schema = schemas.get(key);
            if (schema != null) {
                return schema;
            }
            Optional<byte[]> bytes;
            try {
                bytes = model.referenceProfile().fetch();
            } catch (RuntimeException e) {
                schemaRetryAt.put(key, clock.millis() + settings.schemaRetry().toMillis());
                LOG.log(System.Logger.Level.WARNING, "the reference profile of model ''{0}'' version {1} cannot be read"
                        + " ({2}); its traffic is not captured for {3} s, then it is tried again", key.name(),
                        key.version(), e.getMessage(), settings.schemaRetry().toSeconds());
                return null;
            }
            schema = CaptureSchema.of(model.card(), bytes.flatMap(b -> parse(key, b)));
            if (!schema.ignored().isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "model ''{0}'' version {1}: reference predictions {2} are not class"
                        + " probabilities of this model and are not captured", key.name(), key.version(),
                        schema.ignored());
            }
            schemas.put(key, schema);
            schemaRetryAt.remove(key);
            return schema;
        }
    }

    private static Optional<DatasetProfile> parse(VersionKey key, byte[] bytes) {
        try {
            return Optional.of(DatasetProfile.fromJson(bytes));
        } catch (InvalidProfileException e) {
            LOG.log(System.Logger.Level.WARNING, "the reference profile of model ''{0}'' version {1} is not valid ({2});"
                    + " its traffic is captured as numeric features only", key.name(), key.version(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Flushes every version; the caller holds {@link #flushLock}. */
    private void flushLocked() {
        long now = clock.millis();
        rowLimitReached = false;
        nextFlushAt = now + settings.flushInterval().toMillis();
        boolean failed = false;
        for (VersionCapture capture : captures.values()) {
            failed |= !flush(capture, now);
        }
        lastFlushFailed = failed;
    }

    /** Flushes one version; false when a write failed (what it held is kept for the next flush). */
    private boolean flush(VersionCapture capture, long now) {
        if (capture.pending != null) {
            if (!write(capture.pending)) {
                return false; // still failing: new rows go on into the live sketch, written after this one
            }
            capture.pending = null;
        }
        StreamingProfile full = capture.detach();
        if (full == null) {
            // a second interval without traffic: let the version's buffers go; its next request starts a new capture
            if (++capture.idleFlushes >= 2) {
                capture.retireIfEmpty(captures);
            }
            return true;
        }
        capture.idleFlushes = 0;
        capture.pending = new PendingSketch(keys.next(capture.key.name(), capture.key.version(), now), full.toBytes(),
                full.rowCount());
        if (!write(capture.pending)) {
            return false;
        }
        capture.pending = null;
        return true;
    }

    private boolean write(PendingSketch sketch) {
        try {
            sink.write(sketch.key(), sketch.bytes());
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "writing {0} captured rows to {1} failed ({2}); kept, and written"
                    + " again at the next flush", sketch.rows(), sketch.key(), e.toString());
            return false;
        }
    }

    private void logFailure(String what, RuntimeException e) {
        long count = failures.incrementAndGet();
        if (count == 1 || count % 1000 == 0) {
            LOG.log(System.Logger.Level.WARNING, what + " (failure " + count + ")", e);
        }
    }

    /** One version's live sketch (guarded by this object) and its flush state (guarded by the flush lock). */
    private static final class VersionCapture {
        final VersionKey key;
        private final CaptureSchema schema;
        private final SketchParameters parameters;
        private final float[] row;
        private StreamingProfile live;
        private long liveRows;
        private boolean retired;
        volatile PendingSketch pending;
        int idleFlushes;

        VersionCapture(VersionKey key, CaptureSchema schema, SketchParameters parameters) {
            this.key = key;
            this.schema = schema;
            this.parameters = parameters;
            this.row = new float[schema.width()];
            this.live = StreamingProfile.create(schema.specs(), parameters);
        }

        /**
         * Folds the batch, every row or a sample of it (see the class comment); the live sketch's rows after it, or -1
         * when this capture was retired.
         */
        synchronized long add(FeatureMatrix features, Scores scores, int exactRows) {
            if (retired) {
                return -1;
            }
            int width = features.width();
            if (width != schema.featureCount()) {
                throw new IllegalStateException("rows of " + width + " features, but the capture schema has "
                        + schema.featureCount());
            }
            int rows = features.rows();
            if (rows <= exactRows) {
                for (int r = 0; r < rows; r++) {
                    fold(features, scores, r, 0);
                }
            } else {
                int level = 64 - Long.numberOfLeadingZeros((rows - 1) / exactRows); // ceil(log2(rows / exactRows))
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int start = 0;
                for (; level >= 0; level--) {
                    int stratum = 1 << level;
                    for (; rows - start >= stratum; start += stratum) {
                        fold(features, scores, start + (level == 0 ? 0 : random.nextInt(stratum)), level);
                    }
                }
            }
            liveRows += rows;
            return liveRows;
        }

        private void fold(FeatureMatrix features, Scores scores, int r, int level) {
            int width = features.width();
            int[] labels = schema.probabilityLabels();
            features.copyRow(r, row);
            for (int j = 0; j < labels.length; j++) {
                row[width + j] = scores.probability(r, labels[j]);
            }
            live.update(row, level);
        }

        /** The live sketch, replaced by an empty one; null when it holds no row. */
        synchronized StreamingProfile detach() {
            if (liveRows == 0) {
                return null;
            }
            StreamingProfile full = live;
            live = StreamingProfile.create(schema.specs(), parameters);
            liveRows = 0;
            return full;
        }

        synchronized long liveRows() {
            return liveRows;
        }

        /**
         * Retires this capture if it holds no row, and takes it out of {@code captures} under the same lock, so that a
         * request that finds it retired finds it gone from the map too.
         */
        synchronized void retireIfEmpty(Map<VersionKey, VersionCapture> captures) {
            if (liveRows == 0 && pending == null) {
                retired = true;
                captures.remove(key, this);
            }
        }
    }
}
