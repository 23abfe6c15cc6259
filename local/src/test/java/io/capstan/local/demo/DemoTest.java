package io.capstan.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.local.LocalPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClient;
import picocli.CommandLine;

/** The demo client against an in-process platform, with the trainer built by the reactor run as a process. */
class DemoTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path workDir;

    @Test
    void call_onAFreshPlatform_trainsRecordsAndFindsTheRun() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0);
             MlflowClient client = new MlflowClient(platform.url().toString())) {

            int exit = new CommandLine(new Demo(new PrintStream(output, true, StandardCharsets.UTF_8))).execute(
                    "--url", platform.url().toString(), "--data", "../scripts/data/breast_cancer.csv",
                    "--work-dir", workDir.toString());

            String printed = output.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(printed).isZero();
            assertThat(printed).contains("epoch=20/20", "Summary", "run URL");
            String experimentId = client.searchExperiments("name = 'breast-cancer'").getItems().get(0).getExperimentId();
            var run = client.searchRuns(java.util.List.of(experimentId), "").get(0);
            assertThat(client.getMetricHistory(run.getRunId(), "validation_accuracy")).hasSize(21)
                    .extracting(Metric::getStep).startsWith(1L, 2L, 3L);
            assertThat(client.getRun(run.getRunId()).getInputs().getDatasetInputsList()).singleElement()
                    .satisfies(i -> assertThat(i.getDataset().getDigest()).hasSize(64));
            assertThat(client.sendGet("artifacts/list?run_id=" + run.getRunId() + "&path=model"))
                    .contains("model/model.onnx", "model/model-card.json");
        }
    }
}
