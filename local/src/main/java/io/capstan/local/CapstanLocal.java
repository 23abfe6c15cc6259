package io.capstan.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan-local}: runs the embedded platform in the foreground until SIGINT or SIGTERM, then stops it
 * cleanly (gateway, then engines) and exits 0. Prints {@code Capstan ready at http://127.0.0.1:<port>} once it
 * accepts requests. Exit status 2 when the port is taken or the arguments are wrong, 1 for other start failures.
 * With {@code --token} or {@code CAPSTAN_LOCAL_TOKEN} set, every request but {@code GET /health} must carry
 * {@code Authorization: Bearer <token>}.
 */
@Command(name = "capstan-local", mixinStandardHelpOptions = true, version = "Capstan local 0.1.0",
        description = "Runs Capstan on this machine: MLflow-compatible tracking on 127.0.0.1, with DynamoDB Local "
                + "and S3Proxy in-process and all data in one directory.")
public final class CapstanLocal implements Callable<Integer> {

    static final int EXIT_PORT_TAKEN = 2;
    /** The environment variable holding the token, when {@code --token} is not given. */
    static final String TOKEN_VARIABLE = "CAPSTAN_LOCAL_TOKEN";
    /** Held so the level set on it is not lost: java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    @Option(names = "--port", paramLabel = "N", defaultValue = "5000",
            description = "TCP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".capstan",
            description = "Data directory, created if missing (default: ${DEFAULT-VALUE} in the working directory).")
    private Path dataDir;

    @Option(names = "--quiet", description = "Print only the ready line and errors.")
    private boolean quiet;

    @Option(names = {"--lambda-path", "--no-cache"}, description = "Serve tracking as AWS Lambda does, to measure it "
            + "here: no run cache, every request as a cold container, each request's DynamoDB reads and writes in an "
            + "X-Capstan-DynamoDB response header and a log line.")
    private boolean lambdaPath;

    /** Read once, here: the option, else {@value #TOKEN_VARIABLE}; never printed. */
    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:" + TOKEN_VARIABLE + "}",
            description = "Require Authorization: Bearer TOKEN on every request but /health (MLflow's clients send "
                    + "MLFLOW_TRACKING_TOKEN so). Default: $" + TOKEN_VARIABLE + "; prefer it, a command line is "
                    + "visible to other users.")
    private String token;

    private final PrintStream out;
    private final PrintStream err;

    CapstanLocal(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        quietenEngineLogs();
        // DynamoDB Local leaves a non-daemon thread behind after it stops: exit explicitly
        System.exit(new CommandLine(new CapstanLocal(System.out, System.err)).execute(args));
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65_535) {
            err.println("--port must be between 0 and 65535, got " + port);
            return EXIT_PORT_TAKEN;
        }
        GatewaySettings gateway;
        try {
            gateway = GatewaySettings.defaults().withBearerToken(token);
        } catch (IllegalArgumentException e) {
            err.println("--token / " + TOKEN_VARIABLE + ": " + e.getMessage());
            return EXIT_PORT_TAKEN;
        }
        if (port != 0 && !portFree(port)) {
            return portTaken();
        }
        if (lambdaPath) {
            System.setProperty(LocalPlatform.LAMBDA_PATH_PROPERTY, "true");
        }
        LocalPlatform platform;
        try {
            platform = LocalPlatform.start(dataDir, port, line -> {
                if (!quiet) {
                    out.println(line);
                }
            }, gateway);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof BindException) {
                return portTaken();
            }
            err.println("Capstan could not start: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("Capstan could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (stopped.compareAndSet(false, true)) {
                platform.close();
                if (!quiet) {
                    out.println("Capstan stopped");
                }
                out.flush();
            }
        };
        // a hook for any other way the JVM ends (SIGHUP, System.exit elsewhere)
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "capstan-shutdown"));
        boolean signalsHandled = StopSignals.install(stop::countDown);
        out.println("Capstan ready at http://127.0.0.1:" + platform.port());
        out.flush();
        if (!signalsHandled) {
            waitForever();
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown.run();
        return 0;
    }

    /**
     * Logging is set up here, on the main thread, before the engines start on two threads at once (otherwise SLF4J
     * warns that it replays calls made while it initialised); sqlite4java logs through java.util.logging at INFO.
     */
    static void quietenEngineLogs() {
        LoggerFactory.getILoggerFactory();
        SQLITE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private int portTaken() {
        err.println("Port " + port + " on 127.0.0.1 is already in use: stop what uses it, or pass "
                + "--port N (--port 0 picks a free port).");
        return EXIT_PORT_TAKEN;
    }

    /** Checked before the engines start, so a taken port fails in milliseconds rather than seconds. */
    private static boolean portFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
