package io.capstan.local.demo;

import io.capstan.local.training.TrainerProcess;
import io.capstan.local.training.TrainingOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.RunsPage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end demo's client, run by {@code scripts/demo.sh} against an embedded platform: trains a classifier
 * with Capstan's trainer (a local process on the SageMaker contract), records the run through MLflow's official Java
 * client, and searches it back. Exits 0 when every step worked.
 */
@Command(name = "capstan-demo", mixinStandardHelpOptions = true,
        description = "Runs Capstan's end-to-end demo against a running platform.")
public final class Demo implements Callable<Integer> {
    static final String EXPERIMENT = "breast-cancer";

    @Option(names = "--url", required = true, description = "The platform, e.g. http://127.0.0.1:5000")
    private URI url;

    @Option(names = "--data", required = true, description = "The training data (CSV with a header, label column 'label')")
    private Path data;

    @Option(names = "--trainer-classpath", description = "The trainer's classpath (default: the repository's build)")
    private String trainerClasspath;

    @Option(names = "--work-dir", description = "Where training folders go (default: a new temporary folder)")
    private Path workDir;

    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DemoConsole console = new DemoConsole(out);
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("capstan-demo");
        TrainerProcess trainer = trainerClasspath != null ? new TrainerProcess(trainerClasspath, 1800)
                : TrainerProcess.inRepository(Path.of("").toAbsolutePath());
        try (MlflowClient client = new MlflowClient(url.toString())) {
            console.step("Training a logistic regression on %s with Capstan's trainer (SageMaker contract, local"
                    + " process)", data.getFileName());
            TrainingRecord training = train(trainer, work.resolve("train-1"), console);
            console.detail("validation accuracy %.4f", training.validationAccuracy());

            console.step("Recording the run through MLflow's Java client at %s", url);
            MlflowRecorder recorder = new MlflowRecorder(url, client);
            String experimentId = recorder.experiment(EXPERIMENT);
            String runId = recorder.record(experimentId, "logistic-regression-seed-42", training, "breast_cancer",
                    data.toAbsolutePath().toString(), Map.of("mlflow.source.name", "scripts/demo.sh",
                            "capstan.algorithm", "logistic-regression"), console);

            console.step("Searching the experiment: metrics.validation_accuracy > 0.9");
            RunsPage found = client.searchRuns(List.of(experimentId), "metrics.validation_accuracy > 0.9",
                    ViewType.ACTIVE_ONLY, 10, List.of("metrics.validation_accuracy DESC"));
            for (Run run : found.getItems()) {
                console.detail("%s  %-28s %s  validation_accuracy=%.4f", run.getInfo().getRunId(),
                        run.getInfo().getRunName(), run.getInfo().getStatus(), run.getData().getMetricsList().stream()
                                .filter(m -> m.getKey().equals("validation_accuracy")).findFirst().orElseThrow()
                                .getValue());
            }
            if (found.getItems().stream().noneMatch(r -> r.getInfo().getRunId().equals(runId))) {
                throw new IllegalStateException("the search did not find run " + runId);
            }

            out.printf("%nSummary%n");
            out.printf("  experiment  %s (id %s)%n", EXPERIMENT, experimentId);
            out.printf("  run         %s%n", runId);
            out.printf("  accuracy    %.4f on %d held-out rows%n", training.validationAccuracy(),
                    training.metrics().at("/dataset/rows/validation").asInt());
            out.printf("  dataset     breast_cancer, sha256 %s%n", training.datasetSha256());
            out.printf("  run URL     %s/api/2.0/mlflow/runs/get?run_id=%s%n", url, runId);
            out.printf("  artifacts   %s/api/2.0/mlflow/artifacts/list?run_id=%s&path=model%n", url, runId);
            return 0;
        }
    }

    private TrainingRecord train(TrainerProcess trainer, Path mlRoot, DemoConsole console) throws IOException {
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("algorithm", "logistic-regression");
        hyperparameters.put("epochs", "20");
        hyperparameters.put("seed", "42");
        TrainerProcess.prepare(mlRoot, hyperparameters, Map.of("train", data));
        TrainingOutcome outcome = trainer.train(mlRoot, console::progress);
        if (outcome instanceof TrainingOutcome.Failed failed) {
            throw new IllegalStateException("Training failed: " + failed.reason());
        }
        return TrainingRecord.read(((TrainingOutcome.Trained) outcome).modelDir());
    }
}
