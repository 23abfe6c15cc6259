package io.capstan.tracking.function;

import static io.capstan.tracking.function.MlflowCalls.API;
import static io.capstan.tracking.function.MlflowCalls.assertError;
import static io.capstan.tracking.function.MlflowCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MLflow 3's logged-model endpoints and run outputs, on DynamoDB Local and S3Proxy, with MLflow's JSON. */
class LoggedModelEndpointsTest {
    private static final String MODELS = API + "/logged-models";
    private static final String UNKNOWN = "m-0123456789abcdef0123456789abcdef";
    private static TrackingTestPlatform platform;
    private static MlflowCalls mlflow;

    @BeforeAll
    static void start() throws Exception {
        platform = new TrackingTestPlatform();
        mlflow = new MlflowCalls(platform.function);
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    private static JsonNode createModel(String experimentId, String extraFields) {
        return mlflow.ok("POST", MODELS, "{\"experiment_id\":\"" + experimentId + "\"" + extraFields + "}").get("model");
    }

    private static String modelId(JsonNode model) {
        return model.at("/info/model_id").asText();
    }

    @Test
    void createLoggedModel_withNameParamsAndTags_answersPendingModelUnderExperimentModelsFolder() {
        String exp = mlflow.newExperiment("create-full");
        String run = mlflow.newRun(exp);

        JsonNode model = createModel(exp, ",\"name\":\"model\",\"model_type\":\"clf\",\"source_run_id\":\"" + run
                + "\",\"params\":[{\"key\":\"C\",\"value\":\"1.0\"}],\"tags\":[{\"key\":\"team\",\"value\":\"a\"}]");

        String id = modelId(model);
        assertThat(id).matches("m-[0-9a-f]{32}");
        JsonNode info = model.get("info");
        assertThat(info.get("experiment_id").asText()).isEqualTo(exp);
        assertThat(info.get("name").asText()).isEqualTo("model");
        assertThat(info.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/" + exp + "/models/" + id + "/artifacts");
        assertThat(info.get("status").asText()).isEqualTo("LOGGED_MODEL_PENDING");
        assertThat(info.get("model_type").asText()).isEqualTo("clf");
        assertThat(info.get("source_run_id").asText()).isEqualTo(run);
        assertThat(info.get("creation_timestamp_ms").isIntegralNumber()).isTrue();
        assertThat(info.get("last_updated_timestamp_ms").asLong()).isEqualTo(info.get("creation_timestamp_ms").asLong());
        assertThat(info.get("tags").toString()).isEqualTo("[{\"key\":\"team\",\"value\":\"a\"}]");
        assertThat(model.get("data").toString()).isEqualTo("{\"params\":[{\"key\":\"C\",\"value\":\"1.0\"}]}");
        assertThat(mlflow.okGet(MODELS + "/" + id, "").get("model")).isEqualTo(model);
    }

    @Test
    void createLoggedModel_onlyExperiment_generatesNameAndAnswersEmptyTypeRunAndData() {
        String exp = mlflow.newExperiment("create-bare");

        JsonNode model = createModel(exp, "");

        assertThat(model.at("/info/name").asText()).matches("[a-z]+-[a-z]+-\\d+");
        assertThat(model.at("/info/model_type").asText()).isEmpty();
        assertThat(model.at("/info/source_run_id").asText()).isEmpty();
        assertThat(model.get("info").has("tags")).isFalse();
        assertThat(model.get("data").toString()).isEqualTo("{}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{} | experiment_id",
        "{\"experiment_id\": 1} | experiment_id",
        "{\"experiment_id\": \"EXP\", \"name\": \"a.b\"} | a.b",
        "{\"experiment_id\": \"EXP\", \"tags\": [{\"value\": \"v\"}]} | tags.key",
        "{\"experiment_id\": \"EXP\", \"params\": [{\"key\": \"p\", \"value\": \"1\"}, {\"key\": \"p\", \"value\": \"2\"}]} | p",
    })
    void createLoggedModel_badInput_invalidParameterNamingIt(String body, String named) {
        String exp = mlflow.newExperiment("create-bad-" + Math.abs(body.hashCode()));

        assertError(mlflow.call("POST", MODELS, body.replace("EXP", exp)), 400, "INVALID_PARAMETER_VALUE", named);

        assertThat(json(mlflow.call("POST", MODELS + "/search", "{\"experiment_ids\":[\"" + exp + "\"]}")).has("models"))
                .isFalse();
    }

    @Test
    void createLoggedModel_unknownOrDeletedExperiment_notFoundOrInvalid() {
        String exp = mlflow.newExperiment("create-deleted");
        mlflow.ok("POST", API + "/experiments/delete", "{\"experiment_id\":\"" + exp + "\"}");

        assertError(mlflow.call("POST", MODELS, "{\"experiment_id\":\"424242\"}"), 404, "RESOURCE_DOES_NOT_EXIST",
                "424242");
        assertError(mlflow.call("POST", MODELS, "{\"experiment_id\":\"" + exp + "\"}"), 400, "INVALID_PARAMETER_VALUE",
                "active");
    }

    @Test
    void getLoggedModel_unknownId_notFoundAsMlflow() {
        assertError(mlflow.get(MODELS + "/" + UNKNOWN, ""), 404, "RESOURCE_DOES_NOT_EXIST",
                "Logged model with ID '" + UNKNOWN + "' not found.");
    }

    @Test
    void finalizeLoggedModel_statusByNameOrNumber_answersUpdatedModel() {
        String exp = mlflow.newExperiment("finalize");
        String ready = modelId(createModel(exp, ""));
        String failed = modelId(createModel(exp, ""));

        JsonNode byName = mlflow.ok("PATCH", MODELS + "/" + ready, "{\"model_id\":\"" + ready
                + "\",\"status\":\"LOGGED_MODEL_READY\"}");
        JsonNode byNumber = mlflow.ok("PATCH", MODELS + "/" + failed, "{\"model_id\":\"" + failed + "\",\"status\":3}");

        assertThat(byName.at("/model/info/status").asText()).isEqualTo("LOGGED_MODEL_READY");
        assertThat(byName.at("/model/info/last_updated_timestamp_ms").asLong())
                .isGreaterThanOrEqualTo(byName.at("/model/info/creation_timestamp_ms").asLong());
        assertThat(byNumber.at("/model/info/status").asText()).isEqualTo("LOGGED_MODEL_UPLOAD_FAILED");
        assertThat(mlflow.okGet(MODELS + "/" + ready, "").at("/model/info/status").asText())
                .isEqualTo("LOGGED_MODEL_READY");
    }

    @Test
    void finalizeLoggedModel_badOrMissingFields_invalidParameterNamingThem() {
        String id = modelId(createModel(mlflow.newExperiment("finalize-bad"), ""));

        assertError(mlflow.call("PATCH", MODELS + "/" + id, "{\"model_id\":\"" + id + "\",\"status\":\"READY\"}"), 400,
                "INVALID_PARAMETER_VALUE", "status");
        assertError(mlflow.call("PATCH", MODELS + "/" + id, "{\"model_id\":\"" + id + "\"}"), 400,
                "INVALID_PARAMETER_VALUE", "status");
        assertError(mlflow.call("PATCH", MODELS + "/" + id, "{\"status\":\"LOGGED_MODEL_READY\"}"), 400,
                "INVALID_PARAMETER_VALUE", "model_id");
        assertError(mlflow.call("PATCH", MODELS + "/" + UNKNOWN, "{\"model_id\":\"" + UNKNOWN
                + "\",\"status\":\"LOGGED_MODEL_READY\"}"), 404, "RESOURCE_DOES_NOT_EXIST", UNKNOWN);
        assertThat(mlflow.okGet(MODELS + "/" + id, "").at("/model/info/status").asText())
                .isEqualTo("LOGGED_MODEL_PENDING");
    }

    @Test
    void deleteLoggedModel_soft_getNotFoundUnlessAllowedAndSearchLeavesItOut() {
        String exp = mlflow.newExperiment("delete");
        String id = modelId(createModel(exp, ""));

        mlflow.ok("DELETE", MODELS + "/" + id, null);
        mlflow.ok("DELETE", MODELS + "/" + id, null);

        assertError(mlflow.get(MODELS + "/" + id, ""), 404, "RESOURCE_DOES_NOT_EXIST", id);
        assertThat(mlflow.okGet(MODELS + "/" + id, "allow_deleted=true").at("/model/info/model_id").asText())
                .isEqualTo(id);
        assertThat(mlflow.ok("POST", MODELS + "/search", "{\"experiment_ids\":[\"" + exp + "\"]}").has("models"))
                .isFalse();
        assertError(mlflow.call("DELETE", MODELS + "/" + UNKNOWN, null), 404, "RESOURCE_DOES_NOT_EXIST", UNKNOWN);
    }

    @Test
    void setLoggedModelTags_newAndExistingKeys_mergedAndAnswerEmpty() {
        String id = modelId(createModel(mlflow.newExperiment("tags"), ",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]"));

        JsonNode answer = mlflow.ok("PATCH", MODELS + "/" + id + "/tags",
                "{\"tags\":[{\"key\":\"a\",\"value\":\"2\"},{\"key\":\"b\"}]}");

        assertThat(answer.toString()).isEqualTo("{}");
        assertThat(mlflow.okGet(MODELS + "/" + id, "").at("/model/info/tags").toString())
                .isEqualTo("[{\"key\":\"a\",\"value\":\"2\"},{\"key\":\"b\",\"value\":\"\"}]");
    }

    @Test
    void setLoggedModelTags_missingKeyOrUnknownModel_clientError() {
        String id = modelId(createModel(mlflow.newExperiment("tags-bad"), ""));

        assertError(mlflow.call("PATCH", MODELS + "/" + id + "/tags", "{\"tags\":[{\"value\":\"v\"}]}"), 400,
                "INVALID_PARAMETER_VALUE", "tags.key");
        assertError(mlflow.call("PATCH", MODELS + "/" + UNKNOWN + "/tags", "{\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}"),
                404, "RESOURCE_DOES_NOT_EXIST", UNKNOWN);
    }

    @Test
    void deleteLoggedModelTag_presentThenAbsent_removedThenNotFound() {
        String id = modelId(createModel(mlflow.newExperiment("tag-delete"),
                ",\"tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]"));

        mlflow.ok("DELETE", MODELS + "/" + id + "/tags/a", null);

        assertThat(mlflow.okGet(MODELS + "/" + id, "").at("/model/info/tags").toString())
                .isEqualTo("[{\"key\":\"b\",\"value\":\"2\"}]");
        assertError(mlflow.call("DELETE", MODELS + "/" + id + "/tags/a", null), 404, "RESOURCE_DOES_NOT_EXIST",
                "No tag with key 'a' found for model with ID '" + id + "'.");
        assertError(mlflow.call("DELETE", MODELS + "/" + UNKNOWN + "/tags/a", null), 404, "RESOURCE_DOES_NOT_EXIST",
                UNKNOWN);
    }

    @Test
    void logLoggedModelParams_newParams_addedAndSameValueAgainAccepted() {
        String id = modelId(createModel(mlflow.newExperiment("params"), ",\"params\":[{\"key\":\"a\",\"value\":\"1\"}]"));

        mlflow.ok("POST", MODELS + "/" + id + "/params", "{\"model_id\":\"" + id
                + "\",\"params\":[{\"key\":\"b\",\"value\":\"2\"},{\"key\":\"a\",\"value\":\"1\"}]}");

        assertThat(mlflow.okGet(MODELS + "/" + id, "").at("/model/data/params").toString())
                .isEqualTo("[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]");
    }

    @Test
    void logLoggedModelParams_changedValueMissingIdOrUnknownModel_clientErrorAndNothingWritten() {
        String id = modelId(createModel(mlflow.newExperiment("params-bad"), ",\"params\":[{\"key\":\"a\",\"value\":\"1\"}]"));

        assertError(mlflow.call("POST", MODELS + "/" + id + "/params", "{\"model_id\":\"" + id
                + "\",\"params\":[{\"key\":\"c\",\"value\":\"3\"},{\"key\":\"a\",\"value\":\"9\"}]}"), 400,
                "INVALID_PARAMETER_VALUE", "a");
        assertError(mlflow.call("POST", MODELS + "/" + id + "/params", "{\"params\":[]}"), 400,
                "INVALID_PARAMETER_VALUE", "model_id");
        assertError(mlflow.call("POST", MODELS + "/" + UNKNOWN + "/params", "{\"model_id\":\"" + UNKNOWN
                + "\",\"params\":[]}"), 404, "RESOURCE_DOES_NOT_EXIST", UNKNOWN);
        assertThat(mlflow.okGet(MODELS + "/" + id, "").at("/model/data/params").toString())
                .isEqualTo("[{\"key\":\"a\",\"value\":\"1\"}]");
    }

    @Test
    void logMetric_withModelAndDataset_runKeepsPlainMetricAndModelGetsLinkedPoint() {
        String exp = mlflow.newExperiment("model-metrics");
        String run = mlflow.newRun(exp);
        String id = modelId(createModel(exp, ""));

        mlflow.ok("POST", API + "/runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"acc\",\"value\":0.9,"
                + "\"timestamp\":10,\"step\":1,\"model_id\":\"" + id + "\",\"dataset_name\":\"ds\",\"dataset_digest\":\"d1\"}");
        mlflow.ok("POST", API + "/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":11,\"step\":2,\"model_id\":\"" + id + "\"},"
                + "{\"key\":\"acc\",\"value\":0.9,\"timestamp\":10,\"step\":1,\"model_id\":\"" + id + "\"},"
                + "{\"key\":\"plain\",\"value\":1,\"timestamp\":12}]}");

        assertThat(mlflow.okGet(MODELS + "/" + id, "").at("/model/data/metrics").toString()).isEqualTo("["
                + "{\"key\":\"acc\",\"value\":0.9,\"timestamp\":10,\"step\":1,\"dataset_name\":\"ds\","
                + "\"dataset_digest\":\"d1\",\"model_id\":\"" + id + "\",\"run_id\":\"" + run + "\"},"
                + "{\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":11,\"step\":2,\"model_id\":\"" + id
                + "\",\"run_id\":\"" + run + "\"}]");
        assertThat(mlflow.okGet(API + "/runs/get", "run_id=" + run).at("/run/data/metrics").toString()).isEqualTo("["
                + "{\"key\":\"acc\",\"value\":0.9,\"timestamp\":10,\"step\":1},"
                + "{\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":11,\"step\":2},"
                + "{\"key\":\"plain\",\"value\":1.0,\"timestamp\":12,\"step\":0}]");
    }

    @Test
    void logMetric_datasetNameWithoutDigest_invalidParameterAndNothingWritten() {
        String exp = mlflow.newExperiment("model-metrics-bad");
        String run = mlflow.newRun(exp);

        assertError(mlflow.call("POST", API + "/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"m\",\"value\":1,\"timestamp\":1,\"dataset_name\":\"ds\"}]}"), 400,
                "INVALID_PARAMETER_VALUE", "dataset_digest");

        assertThat(mlflow.okGet(API + "/runs/get", "run_id=" + run).at("/run/data").has("metrics")).isFalse();
    }

    @Test
    void logMetric_unknownModelId_acceptedForTheRunAndDroppedForTheModel() {
        String run = mlflow.newRun(mlflow.newExperiment("model-metrics-unknown"));

        mlflow.ok("POST", API + "/runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"m\",\"value\":1,"
                + "\"timestamp\":1,\"model_id\":\"" + UNKNOWN + "\"}");

        assertThat(mlflow.okGet(API + "/runs/get", "run_id=" + run).at("/run/data/metrics/0/key").asText())
                .isEqualTo("m");
        assertError(mlflow.get(MODELS + "/" + UNKNOWN, ""), 404, "RESOURCE_DOES_NOT_EXIST", UNKNOWN);
    }

    @Test
    void getMetricHistory_pointLoggedAgainWithModelId_returnedOnceAndPagedWithMaxResults() {
        String exp = mlflow.newExperiment("history");
        String run = mlflow.newRun(exp);
        String id = modelId(createModel(exp, ""));
        for (int step = 0; step < 3; step++) {
            mlflow.ok("POST", API + "/runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"acc\",\"value\":0."
                    + step + ",\"timestamp\":" + step + ",\"step\":" + step + "}");
        }
        mlflow.ok("POST", API + "/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"acc\","
                + "\"value\":0.0,\"timestamp\":0,\"step\":0,\"model_id\":\"" + id + "\"}]}");

        JsonNode all = mlflow.okGet(API + "/metrics/get-history", "run_id=" + run + "&metric_key=acc");
        JsonNode first = mlflow.okGet(API + "/metrics/get-history", "run_id=" + run + "&metric_key=acc&max_results=2");
        JsonNode second = mlflow.okGet(API + "/metrics/get-history", "run_id=" + run + "&metric_key=acc&max_results=2"
                + "&page_token=" + first.get("next_page_token").asText());

        assertThat(all.get("metrics")).extracting(m -> m.get("step").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(all.has("next_page_token")).isFalse();
        assertThat(first.get("metrics")).extracting(m -> m.get("step").asLong()).containsExactly(0L, 1L);
        assertThat(second.get("metrics")).extracting(m -> m.get("step").asLong()).containsExactly(2L);
        assertThat(second.has("next_page_token")).isFalse();
    }

    @Test
    void logOutputs_models_inRunGetAndSearchButNotCreate() {
        String exp = mlflow.newExperiment("outputs");
        String run = mlflow.newRun(exp);
        String id = modelId(createModel(exp, ""));

        mlflow.ok("POST", API + "/runs/outputs", "{\"run_id\":\"" + run + "\",\"models\":[{\"model_id\":\"" + id
                + "\",\"step\":3},{\"model_id\":\"" + UNKNOWN + "\"}]}");
        mlflow.ok("POST", API + "/runs/log-inputs", "{\"run_id\":\"" + run + "\",\"models\":[{\"model_id\":\"" + id
                + "\"}]}");

        JsonNode got = mlflow.okGet(API + "/runs/get", "run_id=" + run).get("run");
        assertThat(got.get("outputs").toString()).isEqualTo("{\"model_outputs\":[{\"model_id\":\"" + id
                + "\",\"step\":3},{\"model_id\":\"" + UNKNOWN + "\",\"step\":0}]}");
        assertThat(got.get("inputs").toString()).isEqualTo("{\"model_inputs\":[{\"model_id\":\"" + id + "\"}]}");
        JsonNode searched = mlflow.ok("POST", API + "/runs/search", "{\"experiment_ids\":[\"" + exp + "\"]}")
                .at("/runs/0");
        assertThat(searched.get("outputs")).isEqualTo(got.get("outputs"));
        assertThat(searched.get("inputs").toString()).isEqualTo("{}");
        JsonNode created = mlflow.ok("POST", API + "/runs/create", "{\"experiment_id\":\"" + exp + "\"}").get("run");
        assertThat(created.has("outputs")).isFalse();
        assertThat(mlflow.okGet(API + "/runs/get", "run_id=" + created.at("/info/run_id").asText())
                .at("/run/outputs").toString()).isEqualTo("{}");
    }

    @Test
    void logOutputs_missingModelsUnknownOrDeletedRun_clientError() {
        String exp = mlflow.newExperiment("outputs-bad");
        String run = mlflow.newRun(exp);
        String deleted = mlflow.newRun(exp);
        mlflow.ok("POST", API + "/runs/delete", "{\"run_id\":\"" + deleted + "\"}");

        assertError(mlflow.call("POST", API + "/runs/outputs", "{\"run_id\":\"" + run + "\"}"), 400,
                "INVALID_PARAMETER_VALUE", "models");
        assertError(mlflow.call("POST", API + "/runs/outputs", "{\"run_id\":\"" + run + "\",\"models\":[{\"step\":1}]}"),
                400, "INVALID_PARAMETER_VALUE", "model_id");
        assertError(mlflow.call("POST", API + "/runs/outputs", "{\"run_id\":\"0123456789abcdef0123456789abcdef\","
                + "\"models\":[]}"), 404, "RESOURCE_DOES_NOT_EXIST", "0123456789abcdef0123456789abcdef");
        assertError(mlflow.call("POST", API + "/runs/outputs", "{\"run_id\":\"" + deleted + "\",\"models\":[]}"), 400,
                "INVALID_PARAMETER_VALUE", "active");
    }

    @Test
    void searchLoggedModels_filterOrderAndPages_asMlflow() {
        String exp = mlflow.newExperiment("search");
        String run = mlflow.newRun(exp);
        String low = modelId(createModel(exp, ",\"name\":\"low\",\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}]"));
        String high = modelId(createModel(exp, ",\"name\":\"high\",\"tags\":[{\"key\":\"t\",\"value\":\"x\"}]"));
        String none = modelId(createModel(exp, ",\"name\":\"none\""));
        mlflow.ok("POST", API + "/runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"acc\",\"value\":0.2,\"timestamp\":1,\"model_id\":\"" + low + "\"},"
                + "{\"key\":\"acc\",\"value\":0.8,\"timestamp\":1,\"model_id\":\"" + high + "\","
                + "\"dataset_name\":\"test\",\"dataset_digest\":\"d\"}]}");

        assertThat(search(exp, ",\"filter\":\"metrics.acc > 0.5\"")).containsExactly(high);
        assertThat(search(exp, ",\"filter\":\"params.lr = '0.1' AND name LIKE 'l%'\"")).containsExactly(low);
        assertThat(search(exp, ",\"filter\":\"tags.t = 'x'\"")).containsExactly(high);
        assertThat(search(exp, ",\"filter\":\"name IN ('low', 'none')\"")).containsExactlyInAnyOrder(low, none);
        assertThat(search(exp, ",\"datasets\":[{\"dataset_name\":\"test\"}]")).containsExactly(high);
        assertThat(search(exp, ",\"order_by\":[{\"field_name\":\"metrics.acc\",\"ascending\":false}]"))
                .containsExactly(high, low, none);
        assertThat(search(exp, ",\"order_by\":[{\"field_name\":\"name\"}]")).containsExactly(high, low, none);
        JsonNode page = mlflow.ok("POST", MODELS + "/search", "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":2,"
                + "\"order_by\":[{\"field_name\":\"name\"}]}");
        JsonNode last = mlflow.ok("POST", MODELS + "/search", "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":2,"
                + "\"order_by\":[{\"field_name\":\"name\"}],\"page_token\":\"" + page.get("next_page_token").asText() + "\"}");
        assertThat(page.get("models")).hasSize(2);
        assertThat(last.get("models")).extracting(m -> m.at("/info/model_id").asText()).containsExactly(none);
        assertThat(last.has("next_page_token")).isFalse();
        assertThat(mlflow.ok("POST", MODELS + "/search", "{\"experiment_ids\":[]}").toString()).isEqualTo("{}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{} | experiment_ids",
        "{\"experiment_ids\": [\"0\"], \"filter\": \"foo.x = 1\"} | foo",
        "{\"experiment_ids\": [\"0\"], \"filter\": \"name > 'a'\"} | name",
        "{\"experiment_ids\": [\"0\"], \"filter\": \"metrics.m > 'x'\"} | metrics.m",
        "{\"experiment_ids\": [\"0\"], \"order_by\": [{\"field_name\": \"params.a\"}]} | params.a",
        "{\"experiment_ids\": [\"0\"], \"order_by\": [{\"field_name\": \"bogus\"}]} | bogus",
        "{\"experiment_ids\": [\"0\"], \"datasets\": [{\"dataset_digest\": \"d\"}]} | dataset_name",
        "{\"experiment_ids\": [\"0\"], \"max_results\": 1001} | max_results",
        "{\"experiment_ids\": [\"0\"], \"page_token\": \"garbage!\"} | page token",
    })
    void searchLoggedModels_badInput_invalidParameterNamingIt(String body, String named) {
        assertError(mlflow.call("POST", MODELS + "/search", body), 400, "INVALID_PARAMETER_VALUE", named);
    }

    @Test
    void loggedModelRoutes_ajaxPrefix_servedToo() {
        String id = modelId(createModel(mlflow.newExperiment("ajax"), ""));

        assertThat(mlflow.okGet("/ajax-api/2.0/mlflow/logged-models/" + id, "").at("/model/info/model_id").asText())
                .isEqualTo(id);
    }

    private static List<String> search(String experimentId, String extraFields) {
        JsonNode answer = mlflow.ok("POST", MODELS + "/search", "{\"experiment_ids\":[\"" + experimentId + "\"]"
                + extraFields + "}");
        List<String> ids = new ArrayList<>();
        answer.path("models").forEach(m -> ids.add(m.at("/info/model_id").asText()));
        return ids;
    }
}
