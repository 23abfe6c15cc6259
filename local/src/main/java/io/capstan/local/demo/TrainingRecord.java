package io.capstan.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a local training left in its model folder, read back: {@code metrics.json} (hyperparameters as used,
 * dataset facts, per-epoch history, final metrics) beside the model files.
 *
 * @param modelDir the model folder
 * @param metrics  the parsed {@code metrics.json}
 */
record TrainingRecord(Path modelDir, JsonNode metrics) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TrainingRecord read(Path modelDir) {
        try {
            return new TrainingRecord(modelDir, JSON.readTree(modelDir.resolve("metrics.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("The trainer left no readable metrics.json in " + modelDir, e);
        }
    }

    double validationAccuracy() {
        return metrics.at("/final/validation_accuracy").asDouble();
    }

    String datasetSha256() {
        return metrics.at("/dataset/train_sha256").asText();
    }

    byte[] file(String name) {
        try {
            return Files.readAllBytes(modelDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("The trainer left no " + name + " in " + modelDir, e);
        }
    }
}
