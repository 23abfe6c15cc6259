package io.capstan.trainer;

import io.capstan.error.CapstanException;
import io.capstan.trainer.internal.TrainingJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import libsvm.svm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The trainer's entry point: {@code java -cp "capstan-trainer.jar:lib/*" io.capstan.trainer.TrainerMain [train]
 * [--ml-root DIR]}. Exits 0 after writing the model; on any failure it writes the reason to
 * {@code <output>/failure}, prints it to stderr and exits 1. The reason starts with {@code ClientError:} (bad
 * hyperparameters or data: fix the input), {@code ServerError:} (a dependency such as S3 failed: retry) or
 * {@code AlgorithmError:} (a fault in the trainer).
 */
@Command(name = "capstan-trainer", mixinStandardHelpOptions = true, versionProvider = TrainerMain.Version.class,
        description = "Trains a Tribuo classifier on the SageMaker training container contract and exports it to "
                + "ONNX.")
public final class TrainerMain implements Callable<Integer> {

    /** Tribuo logs each training through java.util.logging; held here so the level setting is not collected. */
    private static final Logger TRIBUO_LOGGER = Logger.getLogger("org.tribuo");

    @Parameters(arity = "0..1", paramLabel = "train",
            description = "SageMaker runs the image with the argument 'train'; it is accepted and ignored.")
    private String action;

    @Option(names = "--ml-root", paramLabel = "DIR",
            description = "The contract root instead of $CAPSTAN_ML_ROOT or /opt/ml.")
    private Path mlRoot;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<S3Client> s3Clients;

    private TrainerMain(Map<String, String> env, PrintStream out, PrintStream err, Supplier<S3Client> s3Clients) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.s3Clients = s3Clients;
    }

    public static void main(String[] args) {
        TRIBUO_LOGGER.setLevel(Level.WARNING);
        Map<String, String> env = System.getenv();
        System.exit(execute(args, env, System.out, System.err, () -> defaultS3Client(env)));
    }

    /**
     * Runs the trainer as {@link #main} does, without exiting the JVM.
     *
     * @param env       the environment ({@code SM_*}, {@code CAPSTAN_*} variables)
     * @param s3Clients makes a new S3 client for Batch mode; the trainer closes it after use
     * @return the process exit code: 0 on success, 1 on failure
     */
    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                              Supplier<S3Client> s3Clients) {
        // LibSVM prints its solver's progress on System.out, where only metric lines belong
        svm.svm_set_print_string_function(message -> { });
        TrainerMain command = new TrainerMain(env, out, err, s3Clients);
        return new CommandLine(command)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler((e, arguments) -> {
                    command.fail(TrainingContract.resolve(null, env), "ClientError: " + e.getMessage()
                            + " (usage: capstan-trainer [train] [--ml-root DIR])");
                    return 1;
                })
                .execute(args);
    }

    @Override
    public Integer call() {
        TrainingContract contract = TrainingContract.resolve(mlRoot, env);
        if (action != null && !action.equals("train")) {
            return fail(contract, "ClientError: the only command is 'train'; got '" + action + "'");
        }
        try {
            Files.deleteIfExists(contract.failureFile());
            new TrainingJob(contract, Clock.systemUTC(), out, s3Clients).run();
            return 0;
        } catch (CapstanException e) {
            return fail(contract, (e.retryable() ? "ServerError: " : "ClientError: ") + e.getMessage());
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(err);
            return fail(contract, "AlgorithmError: " + e);
        }
    }

    private int fail(TrainingContract contract, String reason) {
        err.println(reason);
        try {
            Files.createDirectories(contract.outputDir());
            Files.writeString(contract.failureFile(), reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("cannot write " + contract.failureFile() + ": " + e);
        }
        return 1;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TrainerMain.class.getPackage().getImplementationVersion();
            return new String[]{"capstan-trainer " + (version != null ? version : "(not packaged)")};
        }
    }

    /**
     * The S3 client for Batch mode: region and credentials from the default chains, the JDK's HTTP client. An
     * endpoint in {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} (S3Proxy, LocalStack) is used with
     * path-style addressing.
     */
    static S3Client defaultS3Client(Map<String, String> env) {
        var builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL"));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }
}
