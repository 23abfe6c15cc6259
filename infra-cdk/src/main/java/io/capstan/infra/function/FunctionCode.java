package io.capstan.infra.function;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * Where the function jars are: module {@code <name>} is expected at
 * {@code <functionsDirectory>/<name>/target/capstan-<name>-lambda.jar}, the shaded jar its Maven module builds.
 *
 * @param functionsDirectory the {@code functions/} folder of the repository (or a test's stand-in)
 * @param placeholders       whether a jar not built is replaced by a {@link Placeholders} stand-in rather than refused
 */
public record FunctionCode(Path functionsDirectory, boolean placeholders) {

    /** CDK context key overriding the functions folder; relative paths resolve against the working directory. */
    public static final String CONTEXT_KEY = "capstan:codeDir";
    /** Default when the context key is unset: {@code cdk} runs in {@code infra-cdk/}. */
    public static final String DEFAULT_DIRECTORY = "../functions";

    public FunctionCode {
        Objects.requireNonNull(functionsDirectory, "functionsDirectory");
        functionsDirectory = functionsDirectory.toAbsolutePath().normalize();
    }

    /** Jars in {@code functionsDirectory}, every one of which must be built. */
    public FunctionCode(Path functionsDirectory) {
        this(functionsDirectory, false);
    }

    /** Reads {@value #CONTEXT_KEY} and {@value Placeholders#CONTEXT_KEY} from the CDK context of {@code scope}. */
    public static FunctionCode fromContext(Construct scope) {
        Object value = scope.getNode().tryGetContext(CONTEXT_KEY);
        return new FunctionCode(Path.of(value == null ? DEFAULT_DIRECTORY : value.toString()),
                Placeholders.enabled(scope));
    }

    /** The jar file of function module {@code module}. */
    public Path jarOf(String module) {
        return functionsDirectory.resolve(module).resolve("target").resolve("capstan-" + module + "-lambda.jar");
    }

    /**
     * The Lambda code asset of function module {@code module}.
     *
     * @throws IllegalStateException when the jar has not been built and {@link #placeholders()} is false
     */
    public Code assetOf(String module) {
        Path jar = jarOf(module);
        if (!Files.isRegularFile(jar)) {
            if (placeholders) {
                return Code.fromAsset(Placeholders.lambdaJar(module).toString());
            }
            throw new IllegalStateException("Lambda jar " + jar + " is missing: build it with `mvn -B -DskipTests "
                    + "package -pl functions/" + module + " -am` from the repository root (scripts/deploy.sh does), "
                    + "or point the CDK context key " + CONTEXT_KEY + " at the folder holding the function modules. "
                    + "To run cdk destroy or cdk diff without building, add -c " + Placeholders.CONTEXT_KEY + "=true");
        }
        return Code.fromAsset(jar.toString());
    }
}
