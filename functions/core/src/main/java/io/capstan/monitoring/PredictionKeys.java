package io.capstan.monitoring;

import io.capstan.storage.KeyPrefixes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where prediction records and feedback live in the capture bucket, in Hive-style partitions that DuckDB and Athena
 * read as columns: {@code predictions/model=<model>/dt=<UTC yyyy-MM-dd>/hour=<HH>/<flush ms>-<container>.jsonl.gz}
 * (written by the predict function) and {@code feedback/model=<model>/dt=<UTC yyyy-MM-dd>/<ms>-<request>.jsonl.gz}
 * (written by the quality function). The model's name is URL-encoded in the key.
 */
public final class PredictionKeys {
    public static final String SUFFIX = ".jsonl.gz";
    /**
     * The registered model's tag that adds each row's inputs to its record ({@code "inputs": {feature: value}}):
     * {@code true}, or {@code false} (the default; a record then holds nothing of the inputs).
     */
    public static final String RECORD_INPUTS_TAG = "capstan.quality.record_inputs";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private PredictionKeys() {
    }

    /** The folder of a model's prediction records. */
    public static String predictionsOf(String model) {
        return KeyPrefixes.PREDICTIONS + "model=" + encoded(model) + "/";
    }

    /** The folder of the records of the UTC day holding {@code time}. */
    public static String predictionsOfDay(String model, Instant time) {
        return predictionsOf(model) + "dt=" + DATE.format(time) + "/";
    }

    /** The key of records of the UTC hour holding {@code hour}, flushed at {@code flushedAt} by {@code container}. */
    public static String predictions(String model, Instant hour, long flushedAt, String container) {
        return predictionsOfDay(model, hour) + "hour=" + HOUR.format(hour) + "/" + flushedAt + "-" + container
                + SUFFIX;
    }

    /** The folder of a model's feedback. */
    public static String feedbackOf(String model) {
        return KeyPrefixes.FEEDBACK + "model=" + encoded(model) + "/";
    }

    /** The key of one feedback request's labels, received at {@code receivedAt}. */
    public static String feedback(String model, long receivedAt, String request) {
        return feedbackOf(model) + "dt=" + DATE.format(Instant.ofEpochMilli(receivedAt)) + "/" + receivedAt + "-"
                + request + SUFFIX;
    }

    private static String encoded(String model) {
        return URLEncoder.encode(model, StandardCharsets.UTF_8);
    }
}
