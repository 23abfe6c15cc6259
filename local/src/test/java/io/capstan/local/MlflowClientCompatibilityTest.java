package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

/**
 * The official MLflow Java client ({@code org.mlflow:mlflow-client}) driving the embedded platform over HTTP, as a
 * user with {@code MLFLOW_TRACKING_URI=http://127.0.0.1:<port>} would. The Java client's artifact methods shell out
 * to the Python {@code mlflow} CLI, so artifacts are uploaded and downloaded with the requests MLflow's Python
 * client sends ({@code HttpArtifactRepository}), and listed through the Java client's own HTTP caller.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowClientCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalPlatform platform;
    private MlflowClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir) {
        platform = LocalPlatform.start(dataDir, 0);
        client = new MlflowClient(platform.url().toString());
    }

    @AfterAll
    void stop() {
        client.close();
        platform.close();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Experiments {

        @Test
        void createGetRename_roundTripsThroughTheClient() {
            String id = client.createExperiment("compat-experiments");

            client.setExperimentTag(id, "team", "fraud");
            client.renameExperiment(id, "compat-experiments-renamed");
            Experiment experiment = client.getExperiment(id);

            assertThat(experiment.getName()).isEqualTo("compat-experiments-renamed");
            assertThat(experiment.getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
            assertThat(experiment.getLifecycleStage()).isEqualTo("active");
            assertThat(experiment.getTagsList()).anyMatch(t -> t.getKey().equals("team") && t.getValue().equals("fraud"));
            assertThat(client.getExperimentByName("compat-experiments-renamed")).map(Experiment::getExperimentId)
                    .hasValue(id);
            assertThat(client.getExperimentByName("compat-experiments")).isEmpty();
        }

        @Test
        void createExperiment_nameTaken_isResourceAlreadyExists() {
            client.createExperiment("compat-duplicate");

            assertThatThrownBy(() -> client.createExperiment("compat-duplicate"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(400);
                        assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                    });
        }

        @Test
        void getExperiment_unknownId_isResourceDoesNotExist() {
            assertThatThrownBy(() -> client.getExperiment("987654321"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(404);
                        assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                    });
        }

        @Test
        void deleteAndRestore_moveTheExperimentBetweenViews() {
            String id = client.createExperiment("compat-deleted");

            client.deleteExperiment(id);
            List<String> activeAfterDelete = ids(client.searchExperiments("name LIKE 'compat-deleted%'",
                    ViewType.ACTIVE_ONLY, 100, List.of()));
            List<String> deleted = ids(client.searchExperiments("name LIKE 'compat-deleted%'",
                    ViewType.DELETED_ONLY, 100, List.of()));
            client.restoreExperiment(id);

            assertThat(activeAfterDelete).doesNotContain(id);
            assertThat(deleted).containsExactly(id);
            assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
        }

        @Test
        void searchExperiments_pagesThroughEveryMatch() {
            List<String> created = IntStream.range(0, 5)
                    .mapToObj(i -> client.createExperiment("compat-paging-" + i)).toList();

            ExperimentsPage first = client.searchExperiments("name LIKE 'compat-paging-%'", ViewType.ACTIVE_ONLY, 2,
                    List.of("name ASC"));
            List<String> seen = new ArrayList<>(ids(first));
            var page = first;
            while (page.hasNextPage()) {
                page = (ExperimentsPage) page.getNextPage();
                seen.addAll(ids(page));
            }

            assertThat(first.getItems()).hasSize(2);
            assertThat(seen).containsExactlyElementsOf(created);
        }

        private List<String> ids(ExperimentsPage page) {
            return page.getItems().stream().map(Experiment::getExperimentId).toList();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Runs {

        @Test
        void createRun_withNameTagsAndStartTime_isReadBack() {
            String experimentId = client.createExperiment("compat-runs-create");

            RunInfo created = client.createRun(CreateRun.newBuilder().setExperimentId(experimentId)
                    .setRunName("baseline").setStartTime(1_700_000_000_000L)
                    .addTags(RunTag.newBuilder().setKey("mlflow.user").setValue("ada")).build());
            Run run = client.getRun(created.getRunId());

            assertThat(run.getInfo().getRunName()).isEqualTo("baseline");
            assertThat(run.getInfo().getRunUuid()).isEqualTo(created.getRunId());
            assertThat(run.getInfo().getStatus()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.getInfo().getStartTime()).isEqualTo(1_700_000_000_000L);
            assertThat(run.getInfo().getArtifactUri())
                    .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + created.getRunId() + "/artifacts");
            assertThat(tags(run)).containsEntry("mlflow.runName", "baseline").containsEntry("mlflow.user", "ada");
        }

        @Test
        void createRun_withoutName_getsAGeneratedNameAlsoTagged() {
            RunInfo created = client.createRun(client.createExperiment("compat-runs-noname"));

            Run run = client.getRun(created.getRunId());

            assertThat(run.getInfo().getRunName()).isNotBlank();
            assertThat(tags(run)).containsEntry("mlflow.runName", run.getInfo().getRunName());
        }

        @Test
        void params_areImmutable() {
            String runId = client.createRun(client.createExperiment("compat-params")).getRunId();
            client.logParam(runId, "lr", "0.1");

            client.logParam(runId, "lr", "0.1");

            assertThatThrownBy(() -> client.logParam(runId, "lr", "0.2"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(400);
                        assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
                    });
            assertThat(client.getRun(runId).getData().getParamsList()).extracting(Param::getValue).containsExactly("0.1");
        }

        @Test
        void metricHistory_keepsEveryPointStepsRepeatsNaNAndInfinitiesAsTheSqlStoreDoes() {
            String runId = client.createRun(client.createExperiment("compat-metrics")).getRunId();

            client.logMetric(runId, "loss", 0.9, 1000, 0);
            client.logMetric(runId, "loss", 0.5, 1001, 1);
            client.logMetric(runId, "loss", 0.6, 1002, 1);
            client.logMetric(runId, "loss", Double.NaN, 1003, 2);
            client.logMetric(runId, "loss", Double.POSITIVE_INFINITY, 1004, 3);
            client.logMetric(runId, "loss", Double.NEGATIVE_INFINITY, 1005, 3);
            List<Metric> history = client.getMetricHistory(runId, "loss");
            Metric current = client.getRun(runId).getData().getMetricsList().get(0);

            assertThat(history).extracting(Metric::getStep).containsExactly(0L, 1L, 1L, 2L, 3L, 3L);
            assertThat(history).extracting(Metric::getTimestamp).containsExactly(1000L, 1001L, 1002L, 1003L, 1004L,
                    1005L);
            assertThat(history.get(3).getValue()).isNaN();
            // MLflow's SQL store keeps ±Infinity as the largest finite doubles
            assertThat(history.get(4).getValue()).isEqualTo(Double.MAX_VALUE);
            assertThat(history.get(5).getValue()).isEqualTo(-Double.MAX_VALUE);
            // highest step, then latest timestamp
            assertThat(current.getStep()).isEqualTo(3);
            assertThat(current.getValue()).isEqualTo(-Double.MAX_VALUE);
        }

        @Test
        void tags_setOverwriteAndDelete() {
            String runId = client.createRun(client.createExperiment("compat-tags")).getRunId();

            client.setTag(runId, "stage", "draft");
            client.setTag(runId, "stage", "final");
            client.setTag(runId, "owner", "ada");
            client.deleteTag(runId, "owner");

            assertThat(tags(client.getRun(runId))).containsEntry("stage", "final").doesNotContainKey("owner");
            assertThatThrownBy(() -> client.deleteTag(runId, "owner"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        }

        @Test
        void logBatch_fullBatchOfMetricsParamsAndTags_allStored() {
            String runId = client.createRun(client.createExperiment("compat-batch")).getRunId();
            // 998 metrics + 1 param + 1 tag: MLflow's limit of 1000 entities per request
            List<Metric> metrics = IntStream.range(0, 998).mapToObj(i -> Metric.newBuilder().setKey("acc")
                    .setValue(i / 1000.0).setTimestamp(5000L + i).setStep(i).build()).toList();

            client.logBatch(runId, metrics, List.of(Param.newBuilder().setKey("epochs").setValue("1000").build()),
                    List.of(RunTag.newBuilder().setKey("kind").setValue("batch").build()));
            Run run = client.getRun(runId);

            assertThat(client.getMetricHistory(runId, "acc")).hasSize(998)
                    .extracting(Metric::getStep).isSorted();
            assertThat(run.getData().getMetricsList()).singleElement()
                    .satisfies(m -> assertThat(m.getValue()).isCloseTo(0.997, within(1e-12)));
            assertThat(run.getData().getParamsList()).extracting(Param::getValue).containsExactly("1000");
            assertThat(tags(run)).containsEntry("kind", "batch");
        }

        @Test
        void logBatch_overTheLimit_isRejectedAndWritesNothing() {
            String runId = client.createRun(client.createExperiment("compat-batch-limit")).getRunId();
            List<Metric> metrics = IntStream.range(0, 1001).mapToObj(i -> Metric.newBuilder().setKey("m")
                    .setValue(i).setTimestamp(i).setStep(i).build()).toList();

            assertThatThrownBy(() -> client.logBatch(runId, metrics, List.of(), List.of()))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(400);
                        assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE", "1000");
                    });
            assertThat(client.getMetricHistory(runId, "m")).isEmpty();
        }

        @Test
        void setTerminated_finishesTheRun() {
            String runId = client.createRun(client.createExperiment("compat-terminate")).getRunId();

            client.setTerminated(runId, RunStatus.FINISHED, 1_800_000_000_000L);

            RunInfo info = client.getRun(runId).getInfo();
            assertThat(info.getStatus()).isEqualTo(RunStatus.FINISHED);
            assertThat(info.getEndTime()).isEqualTo(1_800_000_000_000L);
        }

        @Test
        void deletedRun_refusesLoggingAndComesBackOnRestore() {
            String runId = client.createRun(client.createExperiment("compat-run-delete")).getRunId();

            client.deleteRun(runId);
            assertThatThrownBy(() -> client.logMetric(runId, "m", 1.0))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
            client.restoreRun(runId);
            client.logMetric(runId, "m", 1.0);

            assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
            assertThat(client.getMetricHistory(runId, "m")).hasSize(1);
        }

        @Test
        void getRun_unknownId_isResourceDoesNotExist() {
            assertThatThrownBy(() -> client.getRun("0123456789abcdef0123456789abcdef"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(404);
                        assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                    });
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Search {

        private String experimentId;
        private final List<String> runIds = new ArrayList<>();

        @BeforeAll
        void logRuns() {
            experimentId = client.createExperiment("compat-search");
            for (int i = 0; i < 6; i++) {
                String runId = client.createRun(CreateRun.newBuilder().setExperimentId(experimentId)
                        .setRunName("run-" + i).setStartTime(1000L + i).build()).getRunId();
                client.logParam(runId, "lr", i % 2 == 0 ? "0.1" : "0.01");
                if (i != 5) {
                    client.logMetric(runId, "acc", 0.5 + i / 10.0);
                }
                client.setTag(runId, "family", i < 3 ? "linear" : "fm");
                runIds.add(runId);
            }
        }

        @Test
        void searchRuns_noOrder_newestStartTimeFirst() {
            List<RunInfo> runs = client.searchRuns(List.of(experimentId), "");

            assertThat(runs).extracting(RunInfo::getRunId)
                    .containsExactlyElementsOf(reversed(runIds));
        }

        @Test
        void searchRuns_metricParamAndTagFilter_matchesOnlyThose() {
            List<RunInfo> runs = client.searchRuns(List.of(experimentId),
                    "metrics.acc > 0.55 AND params.lr = '0.1' AND tags.family = 'linear'");

            assertThat(runs).extracting(RunInfo::getRunId).containsExactly(runIds.get(2));
        }

        @Test
        void searchRuns_orderByMetricDesc_runsWithoutTheMetricLast() {
            RunsPage page = client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 100,
                    List.of("metrics.acc DESC"));

            assertThat(page.getItems()).extracting(r -> r.getInfo().getRunId())
                    .containsExactly(runIds.get(4), runIds.get(3), runIds.get(2), runIds.get(1), runIds.get(0),
                            runIds.get(5));
        }

        @Test
        void searchRuns_pageTokens_visitEveryRunOnce() {
            RunsPage page = client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 4,
                    List.of("attributes.start_time ASC"));
            List<String> seen = new ArrayList<>(page.getItems().stream().map(r -> r.getInfo().getRunId()).toList());
            assertThat(page.hasNextPage()).isTrue();

            RunsPage second = (RunsPage) page.getNextPage();
            second.getItems().forEach(r -> seen.add(r.getInfo().getRunId()));

            assertThat(second.hasNextPage()).isFalse();
            assertThat(seen).containsExactlyElementsOf(runIds);
        }

        @Test
        void searchRuns_badFilter_isInvalidParameterValue() {
            assertThatThrownBy(() -> client.searchRuns(List.of(experimentId), "metrics.acc >> 1"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(400);
                        assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
                    });
        }

        private List<String> reversed(List<String> list) {
            List<String> copy = new ArrayList<>(list);
            java.util.Collections.reverse(copy);
            return copy;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Artifacts {

        @Test
        void uploadListDownload_asMlflowsHttpArtifactRepositoryDoes() throws Exception {
            String experimentId = client.createExperiment("compat-artifacts");
            String runId = client.createRun(experimentId).getRunId();
            String root = experimentId + "/" + runId + "/artifacts";
            byte[] model = new byte[100_000];
            new java.util.Random(7).nextBytes(model);

            int putModel = put(root + "/model/model.onnx", model).statusCode();
            int putNotes = put(root + "/notes.txt", "trained on 455 rows".getBytes(StandardCharsets.UTF_8)).statusCode();
            JsonNode top = JSON.readTree(client.sendGet("artifacts/list?run_id=" + runId));
            JsonNode inModel = JSON.readTree(client.sendGet("artifacts/list?run_id=" + runId + "&path=model"));
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(
                    artifactUri(root + "/model/model.onnx")).GET().build(), BodyHandlers.ofByteArray());

            assertThat(putModel).isEqualTo(200);
            assertThat(putNotes).isEqualTo(200);
            assertThat(top.path("root_uri").asText()).isEqualTo(client.getRun(runId).getInfo().getArtifactUri());
            assertThat(files(top)).containsExactlyInAnyOrderEntriesOf(Map.of("model", -1L, "notes.txt", 19L));
            assertThat(files(inModel)).containsExactlyEntriesOf(Map.of("model/model.onnx", 100_000L));
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(model);
        }

        @Test
        void download_missingArtifact_isNotFound() throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(artifactUri("1/none/artifacts/x.bin"))
                    .GET().build(), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        }

        private HttpResponse<String> put(String path, byte[] content) throws Exception {
            return http.send(HttpRequest.newBuilder(artifactUri(path)).PUT(BodyPublishers.ofByteArray(content))
                    .build(), BodyHandlers.ofString());
        }

        private URI artifactUri(String path) {
            return URI.create(platform.url() + "/api/2.0/mlflow-artifacts/artifacts/" + path);
        }

        /** path to size, -1 for folders. */
        private Map<String, Long> files(JsonNode listing) {
            Map<String, Long> files = new java.util.LinkedHashMap<>();
            listing.path("files").forEach(f -> files.put(f.path("path").asText(),
                    f.path("is_dir").asBoolean() ? -1L : f.path("file_size").asLong()));
            return files;
        }
    }

    private static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }
}
