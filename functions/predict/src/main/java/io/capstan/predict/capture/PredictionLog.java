package io.capstan.predict.capture;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.model.ModelCard;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.input.PredictJson;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.OutputValue;
import io.capstan.predict.onnx.Scores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.GZIPOutputStream;

/**
 * One record per scored row of a tabular model, for quality monitoring: the row's prediction id, the version that
 * answered, the time, and the output (a classifier's label and class probabilities, a regressor's value) — nothing of
 * the inputs, unless the model's {@link PredictionKeys#RECORD_INPUTS_TAG} tag asks for them ({@code "inputs":
 * {feature: value}}, as the model received them, in single precision). A request only appends its rows' records to an in-memory buffer (per model and UTC hour); a flush
 * (every {@code flushInterval}, or once {@code maxBufferedBytes} are held) writes each buffer as one gzipped JSON
 * lines object under {@link PredictionKeys#predictions}, which DuckDB and Athena read as a partitioned table:
 * <pre>{@code
 * {"id":"7f3a…-0","version":"3","time":1796000000000,"label":"benign","probabilities":{"benign":0.98,"malignant":0.02}}
 * {"id":"order-17","version":"2","time":1796000000123,"value":41.5}
 * }</pre>
 * A write that fails is kept and tried again at the next flush (up to {@code maxBufferedBytes} of them; beyond that
 * the oldest are dropped, with an error in the log). Rows without ids (priming) are not recorded.
 */
public final class PredictionLog implements TrafficCapture {
    /** The environment variable that turns prediction records {@code on} (the default) or {@code off}. */
    public static final String SWITCH_ENV = "CAPSTAN_PREDICTION_LOG";
    /** Flush once this much is buffered, whatever the interval. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L << 20;
    private static final System.Logger LOG = System.getLogger(PredictionLog.class.getName());
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    private final CaptureSink sink;
    private final Duration flushInterval;
    private final long maxBufferedBytes;
    private final Clock clock;
    private final Object bufferLock = new Object();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final AtomicLong lastFlushMillis = new AtomicLong();
    private final List<Pending> failed = new ArrayList<>();
    private Map<Partition, ByteArrayOutputStream> buffers = new HashMap<>();
    private long bufferedBytes;
    private volatile String container = SketchNames.newContainer().container();
    private volatile long nextFlushAt;
    private final FlushTimer flushTimer = new FlushTimer();

    private record Partition(String model, long hourStart) {
    }

    private record Pending(String key, byte[] bytes) {
    }

    public PredictionLog(CaptureSink sink, Duration flushInterval, long maxBufferedBytes, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.flushInterval = Objects.requireNonNull(flushInterval, "flushInterval");
        this.maxBufferedBytes = maxBufferedBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextFlushAt = clock.millis() + flushInterval.toMillis();
    }

    /**
     * Whether {@value #SWITCH_ENV} leaves prediction records on: unset, blank or {@code on} is on, {@code off} off.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static boolean enabled(Map<String, String> environment) {
        return CaptureSettings.onUnlessOff(environment, SWITCH_ENV);
    }

    /** Starts a daemon timer that flushes when due, for long-lived hosts (the local platform); close stops it. */
    public PredictionLog startBackgroundFlush() {
        flushTimer.start(this::flushIfDue, flushInterval, "capstan-prediction-log-flush");
        return this;
    }

    @Override
    public void record(ResolvedModel model, FeatureMatrix features, Scores scores) {
        // rows without prediction ids are not recorded
    }

    @Override
    public void record(ResolvedModel model, FeatureMatrix features, LoadedModel.Scored scored, String[] ids) {
        try {
            long now = clock.millis();
            byte[] lines = lines(model, features, scored, ids, now);
            synchronized (bufferLock) {
                buffers.computeIfAbsent(new Partition(model.name(), now - now % HOUR_MS),
                        partition -> new ByteArrayOutputStream(8192)).writeBytes(lines);
                bufferedBytes += lines.length;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "recording predictions of model '" + model.name() + "' failed; the"
                    + " answer is unaffected", e);
        }
    }

    private static byte[] lines(ResolvedModel model, FeatureMatrix features, LoadedModel.Scored scored, String[] ids,
                                long now) {
        ModelCard card = model.card();
        float[] inputs = model.recordInputs() ? new float[features.width()] : null;
        Scores scores = scored.scores();
        boolean regression = card.task() == ModelCard.Task.REGRESSION;
        OutputValue.Tensor values = regression ? (OutputValue.Tensor) scored.outputs().require(card.outputTensor())
                : null;
        List<String> labels = card.outputLabels();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + ids.length * (64 + 32 * scores.labels()));
        try (JsonGenerator json = PredictJson.FACTORY.createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (int row = 0; row < ids.length; row++) {
                json.writeStartObject();
                json.writeStringField("id", ids[row]);
                json.writeStringField("version", model.version());
                json.writeNumberField("time", now);
                if (regression) {
                    json.writeNumberField("value", values.number(row));
                } else {
                    json.writeStringField("label", labels.get(scores.predicted(row)));
                    json.writeObjectFieldStart("probabilities");
                    for (int label = 0; label < scores.labels(); label++) {
                        json.writeNumberField(labels.get(label), scores.probability(row, label));
                    }
                    json.writeEndObject();
                }
                if (inputs != null) {
                    features.copyRow(row, inputs);
                    json.writeObjectFieldStart("inputs");
                    for (int feature = 0; feature < inputs.length; feature++) {
                        json.writeNumberField(card.features().get(feature), inputs[feature]);
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing prediction records in memory", e);
        }
        return out.toByteArray();
    }

    @Override
    public void prepare(ResolvedModel model) {
    }

    @Override
    public void flushIfDue() {
        boolean due;
        synchronized (bufferLock) {
            due = bufferedBytes >= maxBufferedBytes;
        }
        if (due || clock.millis() >= nextFlushAt) {
            flush();
        }
    }

    @Override
    public void flush() {
        flushLock.lock();
        try {
            nextFlushAt = clock.millis() + flushInterval.toMillis();
            Map<Partition, ByteArrayOutputStream> taken;
            synchronized (bufferLock) {
                taken = buffers;
                buffers = new HashMap<>();
                bufferedBytes = 0;
            }
            for (Map.Entry<Partition, ByteArrayOutputStream> buffer : taken.entrySet()) {
                Partition partition = buffer.getKey();
                long flushedAt = lastFlushMillis.updateAndGet(previous -> Math.max(previous + 1, clock.millis()));
                failed.add(new Pending(PredictionKeys.predictions(partition.model(),
                        Instant.ofEpochMilli(partition.hourStart()), flushedAt, container),
                        gzip(buffer.getValue().toByteArray())));
            }
            writePending();
        } finally {
            flushLock.unlock();
        }
    }

    /** Writes what waits (this flush's objects and earlier failures); keeps what fails, within the byte limit. */
    private void writePending() {
        List<Pending> still = new ArrayList<>();
        for (Pending pending : failed) {
            try {
                sink.write(pending.key(), pending.bytes());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "writing prediction records " + pending.key() + " failed; tried"
                        + " again at the next flush", e);
                still.add(pending);
            }
        }
        long held = 0;
        for (int i = still.size() - 1; i >= 0; i--) {
            held += still.get(i).bytes().length;
            if (held > maxBufferedBytes) {
                LOG.log(System.Logger.Level.ERROR, "dropping " + (i + 1) + " unwritten prediction record objects (over "
                        + maxBufferedBytes + " bytes wait), the oldest first: " + still.get(0).key());
                still = new ArrayList<>(still.subList(i + 1, still.size()));
                break;
            }
        }
        failed.clear();
        failed.addAll(still);
    }

    private static byte[] gzip(byte[] lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing prediction records in memory", e);
        }
        return out.toByteArray();
    }

    /** Flushes, then drops what could not be written, so that no environment restored from the snapshot writes it. */
    @Override
    public void beforeCheckpoint() {
        flushLock.lock();
        try {
            flush();
            if (!failed.isEmpty()) {
                LOG.log(System.Logger.Level.ERROR, "dropping " + failed.size() + " unwritten prediction record objects"
                        + " before the snapshot, which every restored environment would write again");
                failed.clear();
            }
        } finally {
            flushLock.unlock();
        }
    }

    @Override
    public void afterRestore() {
        container = SketchNames.newContainer().container();
        nextFlushAt = clock.millis() + flushInterval.toMillis();
    }

    /** Stops the background timer, if any, and flushes what is left. */
    @Override
    public void close() {
        flushTimer.stop();
        flush();
    }
}
