package io.capstan.trainer.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.trainer.TrainerMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A SageMaker-style ml-root in a temporary folder: hyperparameters and channels in, the trainer's outputs out. */
public final class MlRoot {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    private MlRoot(Path root) {
        this.root = root;
    }

    public static MlRoot in(Path root) {
        return new MlRoot(root);
    }

    public Path path() {
        return root;
    }

    /** Writes {@code input/config/hyperparameters.json} with every value as a string, as SageMaker does. */
    public MlRoot hyperparameters(Map<String, ?> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((name, value) -> strings.put(name, String.valueOf(value)));
        try {
            return write("input/config/hyperparameters.json", JSON.writeValueAsString(strings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a test data set ({@code breast_cancer.csv}, {@code iris.csv}, {@code wine.csv}) into a channel. */
    public MlRoot channel(String channel, String dataSet) {
        try (InputStream in = MlRoot.class.getResourceAsStream("/data/" + dataSet)) {
            if (in == null) {
                throw new IllegalArgumentException("no test data set " + dataSet);
            }
            Path target = root.resolve("input/data").resolve(channel).resolve(dataSet);
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file below the root. */
    public MlRoot write(String relativePath, String content) {
        try {
            Path target = root.resolve(relativePath);
            Files.createDirectories(target.getParent());
            Files.writeString(target, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the trainer in this JVM with {@code train --ml-root <root>} and the given environment. */
    public Run train(Map<String, String> env) {
        return run(env, "train", "--ml-root", root.toString());
    }

    /** Runs the trainer in this JVM with the given arguments and environment; S3 is not reachable. */
    public static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = TrainerMain.execute(args, env, stdout, stderr, () -> {
                throw new AssertionError("the test did not expect S3 to be used");
            });
        }
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public Path model(String file) {
        return root.resolve("model").resolve(file);
    }

    public Path failureFile() {
        return root.resolve("output/failure");
    }

    public String failure() {
        try {
            return Files.readString(failureFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode metrics() {
        return readJson(model("metrics.json"));
    }

    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a trainer run left: its exit code and output streams. */
    public record Run(int exitCode, String stdout, String stderr) {
    }
}
