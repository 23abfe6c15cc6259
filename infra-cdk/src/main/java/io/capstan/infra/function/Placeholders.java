package io.capstan.infra.function;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.constructs.Construct;

/**
 * Stand-ins for build outputs that are missing, so that the app synthesizes without them when
 * {@value #CONTEXT_KEY} is {@code true}: {@code cdk destroy} and {@code cdk diff} synthesize the app but deploy
 * nothing, and should not need a build. A stand-in cannot be deployed by mistake: a function's is a text file named
 * like a jar, which Lambda refuses to unzip (the deploy fails at that function and rolls back), and the trainer's is
 * a Dockerfile whose build fails, naming the build to run. Each holds fixed text, so synthesis stays deterministic.
 */
public final class Placeholders {

    /** CDK context key: {@code true} to synthesize with stand-ins for missing jars and trainer (default false). */
    public static final String CONTEXT_KEY = "capstan:placeholderCode";
    /** Where the stand-ins are written: the same folder, with the same content, on every synthesis. */
    private static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "capstan-placeholder-code");

    private Placeholders() {
    }

    /**
     * Whether {@value #CONTEXT_KEY} is set on {@code scope}'s context.
     *
     * @throws IllegalArgumentException when it is neither {@code true} nor {@code false}
     */
    public static boolean enabled(Construct scope) {
        Object value = scope.getNode().tryGetContext(CONTEXT_KEY);
        String text = value == null ? "false" : value.toString().trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(CONTEXT_KEY + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(text);
    }

    /** The stand-in for function module {@code module}'s jar: a text file, not a zip archive. */
    public static Path lambdaJar(String module) {
        return write(DIRECTORY.resolve("functions").resolve("capstan-" + module + "-placeholder.jar"),
                "Placeholder for capstan-" + module + "-lambda.jar, which was not built when the CDK app was "
                        + "synthesized with " + CONTEXT_KEY + "=true (for cdk destroy or cdk diff). It is not a jar: "
                        + "Lambda refuses it, so a deploy with it fails and rolls back. Build the functions (mvn -B "
                        + "-DskipTests package -pl functions/" + module + " -am, or scripts/deploy.sh) and deploy "
                        + "without " + CONTEXT_KEY + ".\n");
    }

    /** The stand-in for the trainer's Docker build context: a Dockerfile whose build fails. */
    public static Path trainerDirectory() {
        Path dockerfile = write(DIRECTORY.resolve("trainer").resolve("Dockerfile"),
                "# Placeholder for sagemaker-jobs/trainer, which was not packaged when the CDK app was synthesized\n"
                        + "# with " + CONTEXT_KEY + "=true (for cdk destroy or cdk diff). Building it fails on the\n"
                        + "# COPY below, on purpose: package the trainer (mvn -B -DskipTests package -pl\n"
                        + "# sagemaker-jobs/trainer -am, or scripts/deploy.sh) and deploy without " + CONTEXT_KEY + ".\n"
                        + "FROM scratch\n"
                        + "COPY trainer-not-packaged-run-mvn-package-and-deploy-without-capstan-placeholderCode /\n");
        return dockerfile.getParent();
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the placeholder " + file, e);
        }
    }
}
