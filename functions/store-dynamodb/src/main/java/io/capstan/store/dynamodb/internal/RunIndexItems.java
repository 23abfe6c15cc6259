package io.capstan.store.dynamodb.internal;

import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.search.RunIndex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The run search index in the single table (docs/STORAGE.md): for each run, one small item per {@link RunIndex} the
 * run belongs to, in the partition of that index, sorted by start time. A partition is
 * {@code RIX#<experiment>#<A|D>#<index>} (active or deleted runs) with the index {@code ALL}, {@code S#<status>},
 * {@code P#<hash>}, {@code T#<hash>} or {@code N#<hash>} (the first 32 hex digits of the SHA-256 of the param's or
 * tag's key and value, or of the run name, so any value fits a key), sorted by
 * {@code <start time, 16 hex, sign bit flipped>#<run id>}; or a metric's {@code M#<hash>}, sorted by
 * {@code <latest value, 16 hex>#<run id>}, and {@code MN#<hash>} (latest value NaN), sorted by start time. The items
 * hold nothing else: a search queries a partition in order and reads the summaries it needs.
 *
 * <p>Every run is in {@code ALL}, its status's and its metrics' partitions. Param, tag and run-name partitions exist
 * only for the keys a search has asked for ({@link SearchedKeys}): indexing every param would multiply the cost of
 * logging them.
 */
public final class RunIndexItems {
    /** The item that says an experiment's runs are indexed: {@code pk = RIX#<experiment>}, {@code sk = READY}. */
    public static final String READY_SK = "READY";
    /** Where indexing an experiment's earlier runs stopped: {@code next} (the last summary's sort key), {@code runs}. */
    public static final String PROGRESS_SK = "PROGRESS";
    /** The layout of the index items, recorded in each experiment's {@code READY} item. */
    public static final int LAYOUT = 1;
    private static final String PREFIX = "RIX#";

    private RunIndexItems() {
    }

    /** The keys of every index item of the run {@code summary} (a run summary item) with the {@code searched} keys. */
    public static Set<IndexKey> keys(Map<String, AttributeValue> summary, SearchedKeys.Snapshot searched) {
        RunInfo info = RunItems.toInfo(summary);
        Set<IndexKey> keys = new HashSet<>();
        String sk = sortKey(info.startTime(), info.runId());
        keys.add(new IndexKey(partition(info.experimentId(), info.lifecycleStage(), RunIndex.ALL), sk));
        keys.add(new IndexKey(partition(info.experimentId(), info.lifecycleStage(),
                new RunIndex.WithStatus(info.status())), sk));
        for (SearchedKeys.Key key : searched.keys()) {
            key(summary, key.index(summary)).ifPresent(keys::add);
        }
        for (Metric latest : RunItems.latest(summary)) {
            keys.add(metricKey(info.experimentId(), info.lifecycleStage(), info.runId(), info.startTime(), latest));
        }
        return keys;
    }

    /**
     * The run's item in {@code index} (not an {@link RunIndex.Every}), where it is now; empty when the run does not
     * belong to it (or {@code index} is null).
     */
    public static Optional<IndexKey> key(Map<String, AttributeValue> summary, RunIndex index) {
        if (index == null) {
            return Optional.empty();
        }
        RunInfo info = RunItems.toInfo(summary);
        boolean belongs;
        if (index instanceof RunIndex.WithParam param) {
            belongs = param.value().equals(RunItems.strings(summary.get(RunItems.PARAMS)).get(param.key()));
        } else if (index instanceof RunIndex.WithTag tag) {
            belongs = tag.value().equals(RunItems.strings(summary.get(RunItems.TAGS)).get(tag.key()));
        } else if (index instanceof RunIndex.WithNaNMetric metric) {
            belongs = RunItems.latest(summary).stream().anyMatch(latest -> latest.key().equals(metric.key())
                    && Double.isNaN(latest.value()));
        } else {
            // every run's info is at hand: the status and the name
            belongs = index.contains(new Run(info, List.of(), Map.of(), Map.of(), List.of(), List.of(), List.of()));
        }
        return belongs ? Optional.of(new IndexKey(partition(info.experimentId(), info.lifecycleStage(), index),
                sortKey(info.startTime(), info.runId()))) : Optional.empty();
    }

    /** The run's item in the partition of metric {@code key}'s numbers; empty when its latest value is NaN or none. */
    public static Optional<IndexKey> metricKey(Map<String, AttributeValue> summary, String key) {
        RunInfo info = RunItems.toInfo(summary);
        return RunItems.latest(summary).stream().filter(latest -> latest.key().equals(key)
                        && !Double.isNaN(latest.value()))
                .map(latest -> metricKey(info.experimentId(), info.lifecycleStage(), info.runId(), info.startTime(),
                        latest))
                .findFirst();
    }

    /**
     * The index item of a run's latest value of a metric: in the metric's partition, sorted by the value, or, for NaN
     * (which every order puts after the numbers), in the metric's NaN partition sorted by start time.
     */
    public static IndexKey metricKey(String experimentId, LifecycleStage stage, String runId, long startTime,
                                     Metric latest) {
        if (Double.isNaN(latest.value())) {
            return new IndexKey(partition(experimentId, stage, new RunIndex.WithNaNMetric(latest.key())),
                    sortKey(startTime, runId));
        }
        return new IndexKey(metricPartition(experimentId, stage, latest.key()), valueKey(latest.value()) + "#" + runId);
    }

    /** The partition of the runs whose latest value of metric {@code key} is a number, sorted by it. */
    public static String metricPartition(String experimentId, LifecycleStage stage, String key) {
        return PREFIX + experimentId + (stage == LifecycleStage.ACTIVE ? "#A#" : "#D#") + "M#" + hash(key, "");
    }

    /** The sort key that comes first (ascending) or last (descending) among the runs with {@code value}. */
    public static String valueBound(double value, boolean ascending) {
        return valueKey(value) + (ascending ? "#" : "#\uffff");
    }

    /** A metric value in 16 hex digits that sort as the numbers do (-0.0 as 0.0). */
    static String valueKey(double value) {
        long bits = Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
        return String.format("%016x", bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
    }

    /** The partition of {@code index} (not an {@link RunIndex.Every}) for the experiment's runs in {@code stage}. */
    public static String partition(String experimentId, LifecycleStage stage, RunIndex index) {
        String runs = PREFIX + experimentId + (stage == LifecycleStage.ACTIVE ? "#A#" : "#D#");
        if (index instanceof RunIndex.WithStatus status) {
            return runs + "S#" + status.status().name();
        }
        if (index instanceof RunIndex.WithParam param) {
            return runs + "P#" + hash(param.key(), param.value());
        }
        if (index instanceof RunIndex.WithTag tag) {
            return runs + "T#" + hash(tag.key(), tag.value());
        }
        if (index instanceof RunIndex.WithRunName name) {
            return runs + "N#" + hash(name.name(), "");
        }
        if (index instanceof RunIndex.WithNaNMetric metric) {
            return runs + "MN#" + hash(metric.key(), "");
        }
        if (index instanceof RunIndex.Every every) {
            throw new IllegalArgumentException("not one index: " + every);
        }
        return runs + "ALL";
    }

    /** The item that says the experiment's {@code runs} runs are indexed, in this {@link #LAYOUT}. */
    public static Map<String, AttributeValue> ready(String experimentId, long runs) {
        return Map.of(Keys.PK, s(readyPartition(experimentId)), Keys.SK, s(READY_SK), "runs", RunItems.n(runs),
                "layout", RunItems.n(LAYOUT));
    }

    /** The partition of the experiment's {@link #READY_SK} item. */
    public static String readyPartition(String experimentId) {
        return PREFIX + experimentId;
    }

    /** The sort key for a run: its start time in 16 hex digits that sort as the numbers do, then its id. */
    public static String sortKey(long startTime, String runId) {
        return String.format("%016x", startTime ^ Long.MIN_VALUE) + "#" + runId;
    }

    /** The sort key that comes first (ascending) or last (descending) among a start time's runs. */
    public static String startTimeBound(long startTime, boolean ascending) {
        return String.format("%016x", startTime ^ Long.MIN_VALUE) + (ascending ? "#" : "#\uffff");
    }

    /** The run id in a sort key. */
    public static String runId(String sortKey) {
        return sortKey.substring(17);
    }

    static String hash(String key, String value) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(key.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** An index item's key. */
    public record IndexKey(String pk, String sk) {
        /** The item (the key is the whole item). */
        public Map<String, AttributeValue> item() {
            return Map.of(Keys.PK, s(pk), Keys.SK, s(sk));
        }
    }
}
