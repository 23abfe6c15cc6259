package io.capstan.infra.pipeline;

import io.capstan.batch.BatchStateMachine;
import io.capstan.infra.function.Placeholders;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.pipeline.RetrainStateMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import software.constructs.Construct;

/**
 * Where the pipeline stack's inputs are in the repository: the retraining state machine's ASL file (the same file
 * the embedded platform runs) and the trainer's container recipe with its packaged program.
 *
 * @param definitionFile   {@code step-functions/retrain.asl.json}
 * @param trainerDirectory {@code sagemaker-jobs/trainer}: the Docker build context, holding {@code Dockerfile} and,
 *                         once built, {@code target/capstan-trainer-*.jar} and {@code target/lib/}
 * @param placeholders     whether a trainer not packaged is replaced by a {@link Placeholders} stand-in rather than
 *                         refused
 */
public record PipelineSources(Path definitionFile, Path trainerDirectory, boolean placeholders) {

    /** CDK context key: the repository root; relative paths resolve against the working directory. */
    public static final String REPOSITORY_CONTEXT_KEY = "capstan:repositoryDir";
    /** Default when {@value #REPOSITORY_CONTEXT_KEY} is unset: {@code cdk} runs in {@code infra-cdk/}. */
    public static final String DEFAULT_REPOSITORY = "..";
    /** CDK context key overriding the trainer's folder (tests point it at a stand-in). */
    public static final String TRAINER_CONTEXT_KEY = "capstan:trainerDir";
    /** The trainer's folder, relative to the repository root. */
    public static final String TRAINER_DIRECTORY = "sagemaker-jobs/trainer";

    public PipelineSources {
        definitionFile = Objects.requireNonNull(definitionFile, "definitionFile").toAbsolutePath().normalize();
        trainerDirectory = Objects.requireNonNull(trainerDirectory, "trainerDirectory").toAbsolutePath().normalize();
    }

    /** The definition and a trainer that must be packaged. */
    public PipelineSources(Path definitionFile, Path trainerDirectory) {
        this(definitionFile, trainerDirectory, false);
    }

    /**
     * Reads {@value #REPOSITORY_CONTEXT_KEY}, {@value #TRAINER_CONTEXT_KEY} and {@value Placeholders#CONTEXT_KEY}
     * from the CDK context of {@code scope}.
     */
    public static PipelineSources fromContext(Construct scope) {
        Object repository = scope.getNode().tryGetContext(REPOSITORY_CONTEXT_KEY);
        Path root = Path.of(repository == null ? DEFAULT_REPOSITORY : repository.toString());
        Object trainer = scope.getNode().tryGetContext(TRAINER_CONTEXT_KEY);
        return new PipelineSources(root.resolve(RetrainStateMachine.DEFINITION),
                trainer == null ? root.resolve(TRAINER_DIRECTORY) : Path.of(trainer.toString()),
                Placeholders.enabled(scope));
    }

    /**
     * The state machine definition, as written.
     *
     * @throws IllegalStateException when the file is missing
     */
    public String definition() {
        return read(definitionFile);
    }

    /**
     * The batch prediction state machine's definition, {@code batch-predict.asl.json} beside the retraining one.
     *
     * @throws IllegalStateException when the file is missing
     */
    public String batchDefinition() {
        return read(definitionFile.resolveSibling(Path.of(BatchStateMachine.DEFINITION).getFileName()));
    }

    /**
     * The distributed drift check's definition, {@code profile-dataset.asl.json} beside the retraining one.
     *
     * @throws IllegalStateException when the file is missing
     */
    public String profileDefinition() {
        return read(definitionFile.resolveSibling(Path.of(ProfileStateMachine.DEFINITION).getFileName()));
    }

    private static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("State machine definition " + file + " is missing: run cdk from "
                    + "infra-cdk/ or point the CDK context key " + REPOSITORY_CONTEXT_KEY + " at the repository root");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * The trainer's Docker build context, checked to hold what its Dockerfile copies. CDK only stages the folder at
     * synth; Docker builds the image when {@code cdk deploy} publishes it.
     *
     * @throws IllegalStateException when the Dockerfile or the packaged trainer is missing and {@link #placeholders()}
     *                               is false
     */
    public Path checkedTrainerDirectory() {
        if (placeholders && !packaged()) {
            return Placeholders.trainerDirectory();
        }
        if (!Files.isRegularFile(trainerDirectory.resolve("Dockerfile"))) {
            throw new IllegalStateException("Trainer Dockerfile " + trainerDirectory.resolve("Dockerfile") + " is "
                    + "missing: point the CDK context key " + TRAINER_CONTEXT_KEY + " (or " + REPOSITORY_CONTEXT_KEY
                    + ") at the folder holding it");
        }
        Path target = trainerDirectory.resolve("target");
        if (!packaged()) {
            throw new IllegalStateException("The trainer is not packaged in " + target + " (capstan-trainer-*.jar and "
                    + "lib/, which its Dockerfile copies): build it with `mvn -B -DskipTests package -pl "
                    + TRAINER_DIRECTORY + " -am` from the repository root (scripts/deploy.sh does). To run cdk "
                    + "destroy or cdk diff without building, add -c " + Placeholders.CONTEXT_KEY + "=true");
        }
        return trainerDirectory;
    }

    /** Whether the build context holds its Dockerfile and what it copies: the packaged jar and {@code lib/}. */
    private boolean packaged() {
        Path target = trainerDirectory.resolve("target");
        if (!Files.isRegularFile(trainerDirectory.resolve("Dockerfile")) || !Files.isDirectory(target.resolve("lib"))) {
            return false;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.map(p -> p.getFileName().toString()).anyMatch(name -> name.startsWith("capstan-trainer-")
                    && name.endsWith(".jar") && !name.endsWith("-tests.jar") && !name.endsWith("-sources.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + target, e);
        }
    }
}
