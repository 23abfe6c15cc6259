package io.capstan.local.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Capstan's trainer run as a local process on the SageMaker training container contract: a folder shaped like
 * {@code /opt/ml} (hyperparameters, data channels, model output), then {@code java -cp <trainer> ... train
 * --ml-root <folder>}, its output lines passed on as progress. The same program runs on SageMaker and Batch.
 */
public final class TrainerProcess {
    /** The trainer's entry point. */
    public static final String MAIN_CLASS = "io.capstan.trainer.TrainerMain";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String classpath;
    private final long timeoutSeconds;

    /**
     * @param classpath      the trainer's classpath ({@code capstan-trainer.jar:lib/*})
     * @param timeoutSeconds how long a training may run before it is stopped
     */
    public TrainerProcess(String classpath, long timeoutSeconds) {
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The trainer as the repository builds it: {@code sagemaker-jobs/trainer/target/capstan-trainer-<v>.jar} and
     * {@code target/lib/*}, in the repository holding {@code directory} (it or one of its parents).
     *
     * @throws IllegalStateException when it has not been built
     */
    public static TrainerProcess inRepository(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        while (root.getParent() != null && !Files.isDirectory(root.resolve("sagemaker-jobs/trainer"))) {
            root = root.getParent();
        }
        Path target = root.resolve("sagemaker-jobs/trainer/target");
        try (var files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("capstan-trainer-[^-]+.*\\.jar")
                            && !p.getFileName().toString().contains("tests"))
                    .findFirst().orElseThrow(() -> notBuilt(target));
            if (!Files.isDirectory(target.resolve("lib"))) {
                throw notBuilt(target);
            }
            return new TrainerProcess(jar + java.io.File.pathSeparator + target.resolve("lib") + "/*", 1800);
        } catch (IOException e) {
            throw notBuilt(target);
        }
    }

    /**
     * Lays out {@code mlRoot} as the contract wants it: {@code input/config/hyperparameters.json} and one folder per
     * channel under {@code input/data/} holding a copy of the channel's CSV file.
     */
    public static void prepare(Path mlRoot, Map<String, String> hyperparameters, Map<String, Path> channels) {
        try {
            Path config = Files.createDirectories(mlRoot.resolve("input/config"));
            Files.write(config.resolve("hyperparameters.json"), JSON.writeValueAsBytes(hyperparameters));
            for (Map.Entry<String, Path> channel : channels.entrySet()) {
                Path folder = Files.createDirectories(mlRoot.resolve("input/data").resolve(channel.getKey()));
                Files.copy(channel.getValue(), folder.resolve(channel.getValue().getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lay out the training folder " + mlRoot, e);
        }
    }

    /**
     * Runs the trainer on a prepared {@code mlRoot}.
     *
     * @param progress receives every line the trainer prints (epoch lines, final metrics, errors)
     * @return the model folder, or the failure the trainer reported in {@code output/failure}
     */
    public TrainingOutcome train(Path mlRoot, Consumer<String> progress) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
                MAIN_CLASS, "train", "--ml-root", mlRoot.toString()).redirectErrorStream(true);
        try {
            Process process = builder.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    progress.accept(line);
                }
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new TrainingOutcome.Failed("the trainer ran longer than " + timeoutSeconds + " s and was stopped");
            }
            if (process.exitValue() == 0) {
                return new TrainingOutcome.Trained(mlRoot.resolve("model"));
            }
            Path failure = mlRoot.resolve("output/failure");
            return new TrainingOutcome.Failed(Files.exists(failure) ? Files.readString(failure).strip()
                    : "the trainer exited with status " + process.exitValue() + " and wrote no output/failure");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run the trainer (" + classpath + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TrainingOutcome.Failed("interrupted while training");
        }
    }

    private static IllegalStateException notBuilt(Path target) {
        return new IllegalStateException("The trainer is not built under " + target + ": run `mvn -B -DskipTests "
                + "install -pl sagemaker-jobs/trainer -am` from the repository root (scripts/demo.sh does).");
    }
}
