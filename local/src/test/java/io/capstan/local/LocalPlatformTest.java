package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

class LocalPlatformTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void start_portZero_answersHealth() throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0)) {

            var response = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/health")).GET().build(),
                    BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("OK");
            assertThat(platform.url()).isEqualTo(URI.create("http://127.0.0.1:" + platform.port()));
        }
    }

    @Test
    void start_againOnTheSameDirectory_keepsExperimentsRunsEveryMetricPointAndArtifacts() throws Exception {
        String experimentId;
        String runId;
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0);
             MlflowClient client = new MlflowClient(platform.url().toString())) {
            experimentId = client.createExperiment("survives-restarts");
            runId = client.createRun(experimentId).getRunId();
            client.logBatch(runId, IntStream.range(0, 500).mapToObj(i -> Metric.newBuilder().setKey("loss")
                            .setValue(1.0 / (i + 1)).setTimestamp(i).setStep(i).build()).toList(),
                    List.of(Param.newBuilder().setKey("lr").setValue("0.1").build()),
                    List.of(RunTag.newBuilder().setKey("stage").setValue("kept").build()));
            client.logMetric(runId, "loss", 0.0001, 600, 500);
            var put = http.send(HttpRequest.newBuilder(URI.create(platform.url() + "/api/2.0/mlflow-artifacts/artifacts/"
                    + experimentId + "/" + runId + "/artifacts/model.onnx"))
                    .PUT(BodyPublishers.ofString("onnx bytes")).build(), BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
        }

        try (LocalPlatform restarted = LocalPlatform.start(dataDir, 0);
             MlflowClient client = new MlflowClient(restarted.url().toString())) {
            var run = client.getRun(runId);
            var history = client.getMetricHistory(runId, "loss");
            var artifact = http.send(HttpRequest.newBuilder(URI.create(restarted.url()
                    + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/model.onnx"))
                    .GET().build(), BodyHandlers.ofString(StandardCharsets.UTF_8));

            assertThat(client.getExperimentByName("survives-restarts")).isPresent();
            assertThat(history).hasSize(501);
            assertThat(run.getData().getMetricsList()).singleElement()
                    .satisfies(m -> assertThat(m.getStep()).isEqualTo(500));
            assertThat(run.getData().getParamsList()).extracting(Param::getValue).containsExactly("0.1");
            assertThat(run.getData().getTagsList()).anyMatch(t -> t.getKey().equals("stage"));
            assertThat(artifact.statusCode()).isEqualTo(200);
            assertThat(artifact.body()).isEqualTo("onnx bytes");
        }
    }
}
