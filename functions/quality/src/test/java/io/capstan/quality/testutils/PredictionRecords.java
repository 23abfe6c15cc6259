package io.capstan.quality.testutils;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.quality.storage.QualityStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Prediction records as the predict function writes them ({@code PredictionLog}): gzipped JSON lines. */
public final class PredictionRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionRecords() {
    }

    /** A classifier's record with two classes, {@code no} and {@code yes}. */
    public static ObjectNode classified(String id, String version, Instant time, String label, double yes) {
        ObjectNode record = JSON.createObjectNode().put("id", id).put("version", version)
                .put("time", time.toEpochMilli()).put("label", label);
        record.putObject("probabilities").put("no", 1 - yes).put("yes", yes);
        return record;
    }

    /** Writes {@code records} as one object of {@code model}'s partition of the hour of {@code hour}. */
    public static void write(QualityStorage storage, String model, Instant hour, List<ObjectNode> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            for (ObjectNode record : records) {
                zip.write((record + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage.put(PredictionKeys.predictions(model, hour, hour.toEpochMilli(), "a1"), bytes.toByteArray(),
                "application/gzip");
    }
}
