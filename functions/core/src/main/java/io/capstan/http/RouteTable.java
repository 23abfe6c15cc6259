package io.capstan.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one route table: which method and path lead to which function and operation. The CDK API stack
 * creates an API Gateway route per entry, the local gateway dispatches by it, and each function maps the
 * operation names to its handlers. MLflow's REST paths are served under both {@code /api/2.0/mlflow} and
 * {@code /ajax-api/2.0/mlflow}, as MLflow's own server does.
 */
public final class RouteTable {

    /** The prefixes MLflow serves its REST API under. */
    public static final List<String> MLFLOW_PREFIXES = List.of("/api/2.0/mlflow", "/ajax-api/2.0/mlflow");
    public static final String ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts";
    /** Capstan's own endpoints, beside MLflow's. */
    public static final String CAPSTAN_PREFIX = "/api/2.0/capstan";

    private final List<Route> routes;
    private final List<List<String>> templates;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.templates = this.routes.stream().map(route -> Route.segments(route.pathTemplate())).toList();
    }

    /** A table of {@code routes} alone (one function's, as it serves them). */
    public static RouteTable of(List<Route> routes) {
        return new RouteTable(routes);
    }

    /** Capstan's routes, every function's. */
    public static RouteTable capstan() {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("GET", "/health", FunctionId.TRACKING, "Health"));
        routes.add(new Route("GET", "/version", FunctionId.TRACKING, "Version"));
        for (String prefix : MLFLOW_PREFIXES) {
            addTracking(routes, prefix);
            addRegistry(routes, prefix);
        }
        addArtifacts(routes, ARTIFACTS_PREFIX);
        addServingControl(routes, CAPSTAN_PREFIX + "/registry");
        addPipeline(routes, CAPSTAN_PREFIX + "/pipelines");
        addPredict(routes);
        addDrift(routes);
        addQuality(routes);
        addBatch(routes);
        routes.add(new Route("GET", "/", FunctionId.CONSOLE, "ConsolePage"));
        routes.add(new Route("GET", "/console/{file+}", FunctionId.CONSOLE, "ConsoleFile"));
        return new RouteTable(routes);
    }

    private static void addTracking(List<Route> r, String p) {
        FunctionId f = FunctionId.TRACKING;
        r.add(new Route("POST", p + "/experiments/create", f, "CreateExperiment"));
        r.add(new Route("GET", p + "/experiments/search", f, "SearchExperiments"));
        r.add(new Route("POST", p + "/experiments/search", f, "SearchExperiments"));
        r.add(new Route("GET", p + "/experiments/get", f, "GetExperiment"));
        r.add(new Route("GET", p + "/experiments/get-by-name", f, "GetExperimentByName"));
        r.add(new Route("POST", p + "/experiments/delete", f, "DeleteExperiment"));
        r.add(new Route("POST", p + "/experiments/restore", f, "RestoreExperiment"));
        r.add(new Route("POST", p + "/experiments/update", f, "UpdateExperiment"));
        r.add(new Route("POST", p + "/experiments/set-experiment-tag", f, "SetExperimentTag"));
        r.add(new Route("POST", p + "/runs/create", f, "CreateRun"));
        r.add(new Route("POST", p + "/runs/update", f, "UpdateRun"));
        r.add(new Route("POST", p + "/runs/delete", f, "DeleteRun"));
        r.add(new Route("POST", p + "/runs/restore", f, "RestoreRun"));
        r.add(new Route("GET", p + "/runs/get", f, "GetRun"));
        r.add(new Route("POST", p + "/runs/search", f, "SearchRuns"));
        r.add(new Route("POST", p + "/runs/log-metric", f, "LogMetric"));
        r.add(new Route("POST", p + "/runs/log-parameter", f, "LogParam"));
        r.add(new Route("POST", p + "/runs/set-tag", f, "SetTag"));
        r.add(new Route("POST", p + "/runs/delete-tag", f, "DeleteTag"));
        r.add(new Route("POST", p + "/runs/log-batch", f, "LogBatch"));
        r.add(new Route("POST", p + "/runs/log-model", f, "LogModel"));
        r.add(new Route("POST", p + "/runs/log-inputs", f, "LogInputs"));
        r.add(new Route("GET", p + "/metrics/get-history", f, "GetMetricHistory"));
        r.add(new Route("GET", p + "/artifacts/list", f, "ListArtifacts"));
        r.add(new Route("POST", p + "/runs/outputs", f, "LogOutputs"));
        addLoggedModels(r, p + "/logged-models");
    }

    /** MLflow 3's logged models (service.proto: createLoggedModel … LogLoggedModelParams). */
    private static void addLoggedModels(List<Route> r, String m) {
        FunctionId f = FunctionId.TRACKING;
        r.add(new Route("POST", m, f, "CreateLoggedModel"));
        r.add(new Route("POST", m + "/search", f, "SearchLoggedModels"));
        r.add(new Route("GET", m + "/{model_id}", f, "GetLoggedModel"));
        r.add(new Route("PATCH", m + "/{model_id}", f, "FinalizeLoggedModel"));
        r.add(new Route("DELETE", m + "/{model_id}", f, "DeleteLoggedModel"));
        r.add(new Route("PATCH", m + "/{model_id}/tags", f, "SetLoggedModelTags"));
        r.add(new Route("DELETE", m + "/{model_id}/tags/{tag_key}", f, "DeleteLoggedModelTag"));
        r.add(new Route("POST", m + "/{model_id}/params", f, "LogLoggedModelParams"));
        r.add(new Route("GET", m + "/{model_id}/artifacts/directories", f, "ListLoggedModelArtifacts"));
    }

    private static void addRegistry(List<Route> r, String p) {
        FunctionId f = FunctionId.REGISTRY;
        String m = p + "/registered-models";
        r.add(new Route("POST", m + "/create", f, "CreateRegisteredModel"));
        r.add(new Route("GET", m + "/get", f, "GetRegisteredModel"));
        r.add(new Route("POST", m + "/rename", f, "RenameRegisteredModel"));
        r.add(new Route("PATCH", m + "/update", f, "UpdateRegisteredModel"));
        r.add(new Route("DELETE", m + "/delete", f, "DeleteRegisteredModel"));
        r.add(new Route("GET", m + "/search", f, "SearchRegisteredModels"));
        r.add(new Route("POST", m + "/get-latest-versions", f, "GetLatestVersions"));
        r.add(new Route("GET", m + "/get-latest-versions", f, "GetLatestVersions"));
        r.add(new Route("POST", m + "/set-tag", f, "SetRegisteredModelTag"));
        r.add(new Route("DELETE", m + "/delete-tag", f, "DeleteRegisteredModelTag"));
        r.add(new Route("POST", m + "/alias", f, "SetRegisteredModelAlias"));
        r.add(new Route("DELETE", m + "/alias", f, "DeleteRegisteredModelAlias"));
        r.add(new Route("GET", m + "/alias", f, "GetModelVersionByAlias"));
        String v = p + "/model-versions";
        r.add(new Route("POST", v + "/create", f, "CreateModelVersion"));
        r.add(new Route("PATCH", v + "/update", f, "UpdateModelVersion"));
        r.add(new Route("POST", v + "/transition-stage", f, "TransitionModelVersionStage"));
        r.add(new Route("DELETE", v + "/delete", f, "DeleteModelVersion"));
        r.add(new Route("GET", v + "/get", f, "GetModelVersion"));
        r.add(new Route("GET", v + "/search", f, "SearchModelVersions"));
        r.add(new Route("GET", v + "/get-download-uri", f, "GetModelVersionDownloadUri"));
        r.add(new Route("POST", v + "/set-tag", f, "SetModelVersionTag"));
        r.add(new Route("DELETE", v + "/delete-tag", f, "DeleteModelVersionTag"));
    }

    private static void addServingControl(List<Route> r, String p) {
        FunctionId f = FunctionId.REGISTRY;
        r.add(new Route("GET", p + "/model-versions/provenance", f, "GetModelVersionProvenance"));
        r.add(new Route("GET", p + "/audit", f, "ListAuditEvents"));
        r.add(new Route("POST", p + "/promote", f, "PromoteModelVersion"));
        r.add(new Route("POST", p + "/rollback", f, "RollbackAlias"));
        r.add(new Route("POST", p + "/traffic", f, "SetTrafficPolicy"));
        r.add(new Route("GET", p + "/traffic", f, "GetTrafficPolicy"));
        r.add(new Route("DELETE", p + "/traffic", f, "DeleteTrafficPolicy"));
    }

    /**
     * MLflow's scoring protocol and the Open Inference Protocol v2 (KServe, Triton). {@code {name}} is a registered
     * model ({@code iris}: its champion or traffic policy), {@code iris@challenger} (an alias) or {@code iris@v3}.
     */
    private static void addPredict(List<Route> r) {
        FunctionId f = FunctionId.PREDICT;
        r.add(new Route("POST", "/models/{name}/invocations", f, "Invocations"));
        r.add(new Route("POST", "/v2/models/{name}/infer", f, "ModelInfer"));
        r.add(new Route("POST", "/v2/models/{name}/versions/{version}/infer", f, "ModelInfer"));
        r.add(new Route("GET", "/v2/models/{name}", f, "ModelMetadata"));
        r.add(new Route("GET", "/v2/models/{name}/versions/{version}", f, "ModelMetadata"));
        r.add(new Route("GET", "/v2/models/{name}/ready", f, "ModelReady"));
        r.add(new Route("GET", "/v2/models/{name}/versions/{version}/ready", f, "ModelReady"));
        r.add(new Route("GET", "/v2/health/live", f, "ServerLive"));
        r.add(new Route("GET", "/v2/health/ready", f, "ServerReady"));
        r.add(new Route("GET", "/v2", f, "ServerMetadata"));
    }

    /** Drift checks of a registered model's champion: start one on a dataset, list and read the reports. */
    private static void addDrift(List<Route> r) {
        FunctionId f = FunctionId.DRIFT;
        r.add(new Route("POST", "/models/{name}/drift", f, "RunDriftCheck"));
        r.add(new Route("GET", "/models/{name}/drift", f, "ListDriftReports"));
        r.add(new Route("GET", "/models/{name}/drift/{report}", f, "GetDriftReport"));
    }

    /** Model quality: ground truth for prediction ids, checks on demand, reports. */
    private static void addQuality(List<Route> r) {
        FunctionId f = FunctionId.QUALITY;
        r.add(new Route("POST", "/models/{name}/feedback", f, "PostFeedback"));
        r.add(new Route("POST", "/models/{name}/quality", f, "RunQualityCheck"));
        r.add(new Route("GET", "/models/{name}/quality", f, "ListQualityReports"));
        r.add(new Route("GET", "/models/{name}/quality/{report}", f, "GetQualityReport"));
    }

    /** Batch predictions: start a job, list a model's jobs, read one. */
    private static void addBatch(List<Route> r) {
        FunctionId f = FunctionId.BATCH;
        r.add(new Route("POST", "/models/{name}/batch-predictions", f, "StartBatchPrediction"));
        r.add(new Route("GET", "/models/{name}/batch-predictions", f, "ListBatchPredictions"));
        r.add(new Route("GET", "/models/{name}/batch-predictions/{job_id}", f, "GetBatchPrediction"));
    }

    private static void addPipeline(List<Route> r, String p) {
        FunctionId f = FunctionId.PIPELINE;
        r.add(new Route("POST", p + "/{model}/runs", f, "StartPipelineRun"));
        r.add(new Route("GET", p + "/{model}/runs", f, "ListPipelineRuns"));
        r.add(new Route("GET", p + "/{model}/runs/{execution}", f, "GetPipelineRun"));
        r.add(new Route("POST", p + "/{model}/runs/{execution}/approval", f, "DecidePipelineApproval"));
        r.add(new Route("GET", p + "/definition", f, "GetPipelineDefinition"));
    }

    private static void addArtifacts(List<Route> r, String p) {
        FunctionId f = FunctionId.TRACKING;
        r.add(new Route("GET", p + "/artifacts", f, "ListProxiedArtifacts"));
        r.add(new Route("GET", p + "/artifacts/{path+}", f, "DownloadArtifact"));
        r.add(new Route("PUT", p + "/artifacts/{path+}", f, "UploadArtifact"));
        r.add(new Route("DELETE", p + "/artifacts/{path+}", f, "DeleteArtifact"));
        r.add(new Route("POST", p + "/mpu/create/{path+}", f, "CreateMultipartUpload"));
        r.add(new Route("POST", p + "/mpu/complete/{path+}", f, "CompleteMultipartUpload"));
        r.add(new Route("POST", p + "/mpu/abort/{path+}", f, "AbortMultipartUpload"));
    }

    public List<Route> routes() {
        return routes;
    }

    /** The routes served by one function. */
    public List<Route> routesOf(FunctionId function) {
        return routes.stream().filter(r -> r.function() == function).toList();
    }

    /** Whether {@code method} and {@code path} lead to an open route ({@link FunctionId#open()}): no token needed. */
    public boolean open(String method, String path) {
        return match(method, path).map(found -> found.route().function().open()).orElse(false);
    }

    /**
     * The route for a request. Literal templates win over templates with parameters, as in API Gateway. The path is
     * split once; each template was split when the table was built.
     */
    public Optional<RouteMatch> match(String method, String path) {
        List<String> actual = Route.segments(path);
        RouteMatch best = null;
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            if (!route.method().equals(method)) {
                continue;
            }
            Optional<Map<String, String>> params = Route.match(templates.get(r), actual);
            if (params.isPresent() && (best == null || params.get().isEmpty())) {
                best = new RouteMatch(route, params.get());
                if (params.get().isEmpty()) {
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * A matched route with the values of its path parameters.
     *
     * @param route          the route
     * @param pathParameters values of the template's {@code {name}} parts, decoded
     */
    public record RouteMatch(Route route, Map<String, String> pathParameters) {
        public RouteMatch {
            pathParameters = Map.copyOf(pathParameters);
        }
    }
}
