package io.capstan.local.fuzz;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * For each operation of the route table, a request that is good, or nearly so: its path parameters and the fields
 * its handler reads (in the query string for GET, else a JSON body), with the types and values a client sends. The
 * fuzz mutates these. Placeholders name the fixtures ({@link FuzzFixtures}): {@code ${exp}}, {@code ${run}},
 * {@code ${model}}, {@code ${lm}}, {@code ${renameExp}}, {@code ${renameModel}}, {@code ${datasets}}, and {@code ${n}}
 * a number new to each request. Destructive operations aim at entities that do not exist, so no mutation the platform
 * rightly accepts can take a fixture away.
 */
final class FuzzCatalog {
    /**
     * A templated request: values for path parameters (a route takes those its template names) and fields, JSON text
     * with placeholders.
     */
    record Template(Map<String, String> path, String fields) {
    }

    /** Operations whose good request must not be sent, and that get no unknown-field mutation: they start work. */
    static final Set<String> NOT_SENT_AS_IS = Set.of("StartPipelineRun");
    /** Operations that change what a later mutation relies on when an unknown field is simply ignored. */
    static final Set<String> NO_EXTRA_FIELD = Set.of("StartPipelineRun", "RenameRegisteredModel", "UpdateExperiment");

    private static final String MISSING_RUN = "00000000000000000000000000000000";
    private static final String MISSING_MODEL_ID = "m-00000000000000000000000000000000";
    private static final String RUN_PATH = "${exp}/${run}/artifacts";

    private final Map<String, Template> templates = new HashMap<>();

    FuzzCatalog() {
        tracking();
        loggedModels();
        artifacts();
        registry();
        servingControl();
        pipeline();
        predict();
        drift();
        quality();
        batch();
        console();
    }

    Template template(String operation) {
        Template template = templates.get(operation);
        if (template == null) {
            throw new IllegalStateException("The fuzz catalog has no request for operation " + operation
                    + ": add one to FuzzCatalog.");
        }
        return template;
    }

    private void add(String operation, String fields) {
        templates.put(operation, new Template(Map.of(), fields));
    }

    private void add(String operation, Map<String, String> path, String fields) {
        templates.put(operation, new Template(path, fields));
    }

    private void tracking() {
        add("Health", "{}");
        add("Version", "{}");
        add("CreateExperiment", "{'name': 'fuzz-exp-${n}', 'artifact_location': 'mlflow-artifacts:/fuzz-${n}',"
                + " 'tags': [{'key': 'team', 'value': 'fuzz'}]}");
        add("SearchExperiments", "{'max_results': 10, 'filter': \"name LIKE 'fuzz%'\", 'order_by': ['name ASC'],"
                + " 'view_type': 'ALL', 'page_token': ''}");
        add("GetExperiment", "{'experiment_id': '${exp}'}");
        add("GetExperimentByName", "{'experiment_name': 'fuzz'}");
        add("DeleteExperiment", "{'experiment_id': '999999999'}");
        add("RestoreExperiment", "{'experiment_id': '999999999'}");
        add("UpdateExperiment", "{'experiment_id': '${renameExp}', 'new_name': 'fuzz-renamed-${n}'}");
        add("SetExperimentTag", "{'experiment_id': '${exp}', 'key': 'k${n}', 'value': 'v'}");
        add("CreateRun", "{'experiment_id': '${exp}', 'user_id': 'fuzzer', 'run_name': 'fuzz-run-${n}',"
                + " 'start_time': 1700000000000, 'tags': [{'key': 't', 'value': 'v'}]}");
        add("UpdateRun", "{'run_id': '${run}', 'status': 'RUNNING', 'end_time': 1700000001000, 'run_name': 'fuzz-run'}");
        add("DeleteRun", "{'run_id': '" + MISSING_RUN + "'}");
        add("RestoreRun", "{'run_id': '" + MISSING_RUN + "'}");
        add("GetRun", "{'run_id': '${run}'}");
        add("SearchRuns", "{'experiment_ids': ['${exp}'], 'filter': \"params.p = 'x'\", 'run_view_type': 'ACTIVE_ONLY',"
                + " 'max_results': 10, 'order_by': ['metrics.m DESC'], 'page_token': ''}");
        add("LogMetric", "{'run_id': '${run}', 'key': 'm', 'value': 1.5, 'timestamp': 1700000000000, 'step': 1}");
        add("LogParam", "{'run_id': '${run}', 'key': 'p${n}', 'value': 'v'}");
        add("SetTag", "{'run_id': '${run}', 'key': 't', 'value': 'v'}");
        add("DeleteTag", "{'run_id': '${run}', 'key': 'never-set'}");
        add("LogBatch", "{'run_id': '${run}', 'metrics': [{'key': 'm', 'value': 2.5, 'timestamp': 1700000000000,"
                + " 'step': 2}], 'params': [{'key': 'b${n}', 'value': 'v'}], 'tags': [{'key': 'bt', 'value': 'v'}]}");
        add("LogModel", "{'run_id': '${run}', 'model_json': '{\"artifact_path\": \"model\"}'}");
        add("LogInputs", "{'run_id': '${run}', 'datasets': [{'dataset': {'name': 'd', 'digest': 'abc123',"
                + " 'source_type': 's3', 'source': '{\"uri\": \"s3://b/k\"}', 'schema': '{}', 'profile': '{}'},"
                + " 'tags': [{'key': 'mlflow.data.context', 'value': 'training'}]}]}");
        add("GetMetricHistory", "{'run_id': '${run}', 'metric_key': 'm', 'max_results': 10}");
        add("ListArtifacts", "{'run_id': '${run}', 'path': 'model'}");
        add("LogOutputs", "{'run_id': '${run}', 'models': [{'model_id': '${lm}', 'step': 0}]}");
    }

    private void loggedModels() {
        Map<String, String> model = Map.of("model_id", "${lm}");
        add("CreateLoggedModel", "{'experiment_id': '${exp}', 'name': 'fuzzlm${n}', 'model_type': 'sklearn',"
                + " 'source_run_id': '${run}', 'tags': [{'key': 'k', 'value': 'v'}], 'params': [{'key': 'p',"
                + " 'value': '1'}]}");
        add("SearchLoggedModels", "{'experiment_ids': ['${exp}'], 'filter': \"name = 'x'\", 'max_results': 10,"
                + " 'order_by': [{'field_name': 'creation_time', 'ascending': true}], 'datasets': [{'dataset_name': 'd',"
                + " 'dataset_digest': 'x'}]}");
        add("GetLoggedModel", model, "{'allow_deleted': 'false'}");
        add("FinalizeLoggedModel", model, "{'model_id': '${lm}', 'status': 'LOGGED_MODEL_READY'}");
        add("DeleteLoggedModel", Map.of("model_id", MISSING_MODEL_ID), "{}");
        add("SetLoggedModelTags", model, "{'tags': [{'key': 'k', 'value': 'v'}]}");
        add("DeleteLoggedModelTag", Map.of("model_id", "${lm}", "tag_key", "never-set"), "{}");
        add("LogLoggedModelParams", model, "{'model_id': '${lm}', 'params': [{'key': 'p${n}', 'value': '1'}]}");
        add("ListLoggedModelArtifacts", model, "{'artifact_directory_path': ''}");
    }

    private void artifacts() {
        add("ListProxiedArtifacts", "{'path': '" + RUN_PATH + "'}");
        add("DownloadArtifact", Map.of("path", RUN_PATH + "/model/model.txt"), "{}");
        add("UploadArtifact", Map.of("path", RUN_PATH + "/uploads/f${n}.bin"), "{}");
        add("DeleteArtifact", Map.of("path", RUN_PATH + "/uploads/none.bin"), "{}");
        Map<String, String> folder = Map.of("path", RUN_PATH + "/mpu");
        add("CreateMultipartUpload", folder, "{'path': 'local/big.bin', 'num_parts': 2}");
        add("CompleteMultipartUpload", folder, "{'path': 'local/big.bin', 'upload_id': 'nope', 'parts':"
                + " [{'part_number': 1, 'etag': 'x'}]}");
        add("AbortMultipartUpload", folder, "{'path': 'local/big.bin', 'upload_id': 'nope'}");
    }

    private void registry() {
        add("CreateRegisteredModel", "{'name': 'fuzz-rm-${n}', 'description': 'd', 'tags': [{'key': 'k',"
                + " 'value': 'v'}]}");
        add("GetRegisteredModel", "{'name': '${model}'}");
        add("RenameRegisteredModel", "{'name': '${renameModel}', 'new_name': 'fuzz-renamed-${n}'}");
        add("UpdateRegisteredModel", "{'name': '${model}', 'description': 'updated'}");
        add("DeleteRegisteredModel", "{'name': 'fuzz-never-created'}");
        add("SearchRegisteredModels", "{'filter': \"name LIKE 'fuzz%'\", 'max_results': 10, 'order_by': ['name ASC'],"
                + " 'page_token': ''}");
        add("GetLatestVersions", "{'name': '${model}', 'stages': ['None']}");
        add("SetRegisteredModelTag", "{'name': '${model}', 'key': 'k', 'value': 'v'}");
        add("DeleteRegisteredModelTag", "{'name': '${model}', 'key': 'never-set'}");
        add("SetRegisteredModelAlias", "{'name': '${model}', 'alias': 'fuzzalias', 'version': '1'}");
        add("DeleteRegisteredModelAlias", "{'name': '${model}', 'alias': 'fuzzalias'}");
        add("GetModelVersionByAlias", "{'name': '${model}', 'alias': 'champion'}");
        add("CreateModelVersion", "{'name': '${model}', 'source': 'mlflow-artifacts:/" + RUN_PATH + "/model',"
                + " 'run_id': '${run}', 'run_link': 'http://example.com/run', 'description': 'd', 'model_id': '${lm}',"
                + " 'tags': [{'key': 'k', 'value': 'v'}]}");
        add("GetModelVersion", "{'name': '${model}', 'version': '1'}");
        add("UpdateModelVersion", "{'name': '${model}', 'version': '1', 'description': 'd'}");
        add("TransitionModelVersionStage", "{'name': '${model}', 'version': '1', 'stage': 'Staging',"
                + " 'archive_existing_versions': false}");
        add("DeleteModelVersion", "{'name': '${model}', 'version': '999'}");
        add("SearchModelVersions", "{'filter': \"name = '${model}'\", 'max_results': 10,"
                + " 'order_by': ['version_number DESC'], 'page_token': ''}");
        add("GetModelVersionDownloadUri", "{'name': '${model}', 'version': '1'}");
        add("SetModelVersionTag", "{'name': '${model}', 'version': '1', 'key': 'k', 'value': 'v'}");
        add("DeleteModelVersionTag", "{'name': '${model}', 'version': '1', 'key': 'never-set'}");
    }

    private void servingControl() {
        add("GetModelVersionProvenance", "{'name': '${model}', 'version': '1'}");
        add("ListAuditEvents", "{'name': '${model}'}");
        add("PromoteModelVersion", "{'name': '${model}', 'alias': 'champion', 'version': '1', 'expected_version': '1',"
                + " 'reason': 'r'}");
        add("RollbackAlias", "{'name': '${model}', 'alias': 'champion', 'reason': 'r'}");
        add("SetTrafficPolicy", "{'name': '${model}', 'routes': [{'target': 'champion', 'weight': 90},"
                + " {'target': 'v1', 'weight': 10}], 'reason': 'r'}");
        add("GetTrafficPolicy", "{'name': '${model}'}");
        add("DeleteTrafficPolicy", "{'name': '${model}', 'reason': 'r'}");
    }

    private void pipeline() {
        add("StartPipelineRun", Map.of("model", "fuzz-pipeline"),
                "{'dataset_uri': 's3://${datasets}/datasets/fuzz-pipeline/none.csv'}");
        add("ListPipelineRuns", Map.of("model", "${model}"), "{}");
        Map<String, String> execution = Map.of("model", "${model}", "execution", "fuzz-exec");
        add("GetPipelineRun", execution, "{}");
        add("DecidePipelineApproval", execution, "{'approved': true, 'reason': 'ok'}");
        add("GetPipelineDefinition", "{}");
    }

    private void predict() {
        Map<String, String> model = Map.of("name", "${model}", "version", "1");
        add("Invocations", model, "{'dataframe_split': {'columns': ['a', 'b'], 'data': [[1.0, 2.0]]}}");
        add("ModelInfer", model, "{'inputs': [{'name': 'a', 'shape': [1, 2], 'datatype': 'FP32', 'data': [1.0, 2.0]}]}");
        add("ModelMetadata", model, "{}");
        add("ModelReady", model, "{}");
        add("ServerLive", "{}");
        add("ServerReady", "{}");
        add("ServerMetadata", "{}");
    }

    private void drift() {
        Map<String, String> model = Map.of("name", "${model}");
        add("RunDriftCheck", model, "{'dataset_uri': 's3://${datasets}/datasets/fuzz/current.csv',"
                + " 'reference_uri': 's3://${datasets}/datasets/fuzz/reference.csv', 'window_hours': 24,"
                + " 'categorical': ['color'], 'version': 1}");
        add("ListDriftReports", model, "{'max_results': 10}");
        add("GetDriftReport", Map.of("name", "${model}", "report", "20260101T000000Z-abcdef"), "{'format': 'json'}");
    }

    private void quality() {
        Map<String, String> model = Map.of("name", "${model}");
        add("PostFeedback", model, "{'labels': [{'id': 'p-1', 'label': 'yes'}]}");
        add("RunQualityCheck", model, "{'window_hours': 24, 'champion': '1', 'challenger': '2', 'alpha': 0.05,"
                + " 'minimum_detectable_effect': 0.02}");
        add("ListQualityReports", model, "{'max_results': 10}");
        add("GetQualityReport", Map.of("name", "${model}", "report", "20260101T000000Z-abcdef"), "{'format': 'json'}");
    }

    private void batch() {
        Map<String, String> model = Map.of("name", "${model}");
        add("StartBatchPrediction", model, "{'input': 's3://${datasets}/batch/fuzz/in.csv', 'output':"
                + " 's3://${datasets}/batch/fuzz/out/', 'format': 'csv', 'version': 1, 'id_column': 'id',"
                + " 'request_id': 'fuzz-${n}', 'chunk_mb': 1, 'max_concurrency': 2}");
        add("ListBatchPredictions", model, "{'max_results': 10}");
        add("GetBatchPrediction", Map.of("name", "${model}", "job_id", "fuzz-job"), "{}");
    }

    private void console() {
        add("ConsolePage", "{}");
        add("ConsoleFile", Map.of("file", "app.js"), "{}");
    }
}
