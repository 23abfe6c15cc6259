package io.capstan.local.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a refused write must leave as it was, read through the API: for each operation that writes, the state it could
 * touch (the run, the experiments, the registry with its audit trail, the artifacts, …) as the answers of a few reads.
 * Two equal snapshots mean nothing was written.
 */
final class StateProbes {
    private final RawHttp http;
    private final Map<String, List<Read>> probes;

    StateProbes(RawHttp http, Map<String, String> fixtures) {
        this.http = http;
        String api = FuzzFixtures.API;
        String exp = fixtures.get("exp");
        String run = fixtures.get("run");
        String artifacts = "/api/2.0/mlflow-artifacts/artifacts?path=" + exp + "/" + run + "/artifacts";
        this.probes = Map.of(
                "experiments", List.of(get(api + "/experiments/search?max_results=1000&view_type=ALL")),
                "run", List.of(get(api + "/runs/get?run_id=" + run),
                        get(api + "/metrics/get-history?run_id=" + run + "&metric_key=m"),
                        post(api + "/runs/search", "{\"experiment_ids\": [\"" + exp + "\"], \"max_results\": 1000,"
                                + " \"run_view_type\": \"ALL\"}")),
                "logged-models", List.of(get(api + "/logged-models/" + fixtures.get("lm")),
                        post(api + "/logged-models/search", "{\"experiment_ids\": [\"" + exp + "\"], \"max_results\":"
                                + " 1000}")),
                "artifacts", List.of(get(artifacts), get(artifacts + "/uploads"), get(artifacts + "/mpu")),
                "registry", List.of(get(api + "/registered-models/search?max_results=1000"),
                        get(api + "/model-versions/search?max_results=1000"),
                        get("/api/2.0/capstan/registry/audit?name=" + FuzzFixtures.MODEL),
                        get("/api/2.0/capstan/registry/audit?name=fuzz-rename-model")),
                "drift", List.of(get("/models/" + FuzzFixtures.MODEL + "/drift?max_results=1000")),
                "quality", List.of(get("/models/" + FuzzFixtures.MODEL + "/quality?max_results=100")),
                "pipeline", List.of(get("/api/2.0/capstan/pipelines/fuzz-pipeline/runs"),
                        get("/api/2.0/capstan/pipelines/" + FuzzFixtures.MODEL + "/runs")));
    }

    /** The state an operation can write, empty for operations that write nothing a client can read back. */
    static Optional<String> probeOf(String operation) {
        return switch (operation) {
            case "CreateExperiment", "DeleteExperiment", "RestoreExperiment", "UpdateExperiment", "SetExperimentTag" ->
                    Optional.of("experiments");
            case "CreateRun", "UpdateRun", "DeleteRun", "RestoreRun", "LogMetric", "LogParam", "SetTag", "DeleteTag",
                 "LogBatch", "LogModel", "LogInputs", "LogOutputs" -> Optional.of("run");
            case "CreateLoggedModel", "FinalizeLoggedModel", "DeleteLoggedModel", "SetLoggedModelTags",
                 "DeleteLoggedModelTag", "LogLoggedModelParams" -> Optional.of("logged-models");
            case "UploadArtifact", "DeleteArtifact", "CreateMultipartUpload", "CompleteMultipartUpload",
                 "AbortMultipartUpload" -> Optional.of("artifacts");
            case "CreateRegisteredModel", "RenameRegisteredModel", "UpdateRegisteredModel", "DeleteRegisteredModel",
                 "SetRegisteredModelTag", "DeleteRegisteredModelTag", "SetRegisteredModelAlias",
                 "DeleteRegisteredModelAlias", "CreateModelVersion", "UpdateModelVersion", "TransitionModelVersionStage",
                 "DeleteModelVersion", "SetModelVersionTag", "DeleteModelVersionTag", "PromoteModelVersion",
                 "RollbackAlias", "SetTrafficPolicy", "DeleteTrafficPolicy" -> Optional.of("registry");
            case "RunDriftCheck" -> Optional.of("drift");
            case "RunQualityCheck" -> Optional.of("quality");
            case "StartPipelineRun", "DecidePipelineApproval" -> Optional.of("pipeline");
            default -> Optional.empty();
        };
    }

    /** The state as the probe's reads answer it now. */
    String snapshot(String probe) {
        StringBuilder state = new StringBuilder();
        for (Read read : probes.get(probe)) {
            RawHttp.Answer answer = read.body() == null ? http.send(read.method(), read.target(), null, null)
                    : http.send(read.method(), read.target(), "application/json",
                    read.body().getBytes(StandardCharsets.UTF_8));
            state.append(read.target()).append(" -> ").append(answer.status()).append(' ').append(answer.text()).append('\n');
        }
        return state.toString();
    }

    private static Read get(String target) {
        return new Read("GET", target, null);
    }

    private static Read post(String target, String body) {
        return new Read("POST", target, body);
    }

    private record Read(String method, String target, String body) {
    }
}
