package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.tracking.Dataset;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelMetric;
import io.capstan.tracking.ModelOutput;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.ViewType;
import io.capstan.tracking.search.Page;
import io.capstan.tracking.search.PageToken;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The experiment and run operations of MLflow's tracking API: parse the request, call the service, write JSON. */
final class TrackingHandlers {
    private final TrackingService tracking;

    TrackingHandlers(TrackingService tracking) {
        this.tracking = tracking;
    }

    /** Operation name (as in the route table) to handler. */
    Map<String, OperationHandler> handlers() {
        Map<String, OperationHandler> h = new HashMap<>();
        h.put("CreateExperiment", body(this::createExperiment));
        h.put("SearchExperiments", body(this::searchExperiments));
        h.put("GetExperiment", body(f -> wrap("experiment", MlflowJson.experiment(
                tracking.getExperiment(f.requiredString("experiment_id"))))));
        h.put("GetExperimentByName", body(f -> wrap("experiment", MlflowJson.experiment(
                tracking.getExperimentByName(f.requiredString("experiment_name"))))));
        h.put("DeleteExperiment", body(f -> {
            tracking.deleteExperiment(f.requiredString("experiment_id"));
            return MlflowJson.object();
        }));
        h.put("RestoreExperiment", body(f -> {
            tracking.restoreExperiment(f.requiredString("experiment_id"));
            return MlflowJson.object();
        }));
        h.put("UpdateExperiment", body(f -> {
            tracking.renameExperiment(f.requiredString("experiment_id"), f.requiredString("new_name"));
            return MlflowJson.object();
        }));
        h.put("SetExperimentTag", body(f -> {
            tracking.setExperimentTag(f.requiredString("experiment_id"), f.requiredString("key"),
                    f.optionalString("value").orElseThrow(() -> RequestFields.missing("value")));
            return MlflowJson.object();
        }));
        h.put("CreateRun", body(this::createRun));
        h.put("UpdateRun", body(this::updateRun));
        h.put("DeleteRun", body(f -> {
            tracking.deleteRun(runId(f));
            return MlflowJson.object();
        }));
        h.put("RestoreRun", body(f -> {
            tracking.restoreRun(runId(f));
            return MlflowJson.object();
        }));
        h.put("GetRun", body(f -> wrap("run", MlflowJson.run(tracking.getRun(runId(f))))));
        h.put("SearchRuns", body(this::searchRuns));
        h.put("LogMetric", body(f -> {
            String runId = runId(f);
            Metric metric = metric(f);
            tracking.logBatch(runId, List.of(metric), List.of(), List.of(), modelMetric(f, runId, metric));
            return MlflowJson.object();
        }));
        h.put("LogParam", body(f -> {
            tracking.logBatch(runId(f), List.of(), List.of(keyValue(f, "param")), List.of());
            return MlflowJson.object();
        }));
        h.put("SetTag", body(f -> {
            tracking.logBatch(runId(f), List.of(), List.of(), List.of(keyValue(f, "tag")));
            return MlflowJson.object();
        }));
        h.put("DeleteTag", body(f -> {
            tracking.deleteTag(f.requiredString("run_id"), f.requiredString("key"));
            return MlflowJson.object();
        }));
        h.put("LogBatch", body(this::logBatch));
        h.put("LogModel", body(f -> {
            String model = f.requiredString("model_json");
            tracking.logBatch(runId(f), List.of(), List.of(),
                    List.of(new SimpleEntry<>("mlflow.log-model.history", "[" + model + "]")));
            return MlflowJson.object();
        }));
        h.put("LogInputs", body(this::logInputs));
        h.put("LogOutputs", (req, path) -> {
            RequestFields f = RequestFields.of(req);
            String runId = f.requiredString("run_id");
            if (!RequestBodies.has(req, "models")) {
                throw RequestFields.missing("models");
            }
            List<ModelOutput> outputs = new ArrayList<>();
            for (RequestFields m : f.objectList("models")) {
                outputs.add(new ModelOutput(m.requiredString("model_id"), m.optionalLong("step").orElse(0L)));
            }
            tracking.logOutputs(runId, outputs);
            return JsonResponses.empty();
        });
        h.put("GetMetricHistory", body(this::metricHistory));
        return h;
    }

    private ObjectNode createExperiment(RequestFields f) {
        String id = tracking.createExperiment(f.requiredString("name"),
                f.optionalString("artifact_location").orElse(null), keyValues(f.objectList("tags"), "tag"));
        return MlflowJson.object().put("experiment_id", id);
    }

    private ObjectNode searchExperiments(RequestFields f) {
        Page<Experiment> page = tracking.searchExperiments(viewType(f), f.optionalString("filter").orElse(null),
                f.stringList("order_by"), f.optionalInt("max_results").orElse(null),
                f.optionalString("page_token").orElse(null));
        ObjectNode out = MlflowJson.object();
        ArrayNode experiments = out.putArray("experiments");
        page.items().forEach(e -> experiments.add(MlflowJson.experiment(e)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode createRun(RequestFields f) {
        Run run = tracking.createRun(f.optionalString("experiment_id").orElse(null),
                f.optionalString("user_id").orElse(null), f.optionalString("run_name").orElse(null),
                f.optionalLong("start_time").orElse(null), keyValues(f.objectList("tags"), "tag"));
        return wrap("run", MlflowJson.run(run, MlflowJson.RunView.CREATED));
    }

    private ObjectNode updateRun(RequestFields f) {
        RunStatus status = f.optionalString("status").map(s -> parseEnum(RunStatus.class, s, "status")).orElse(null);
        return wrap("run_info", MlflowJson.runInfo(tracking.updateRun(runId(f), status,
                f.optionalLong("end_time").orElse(null), f.optionalString("run_name").orElse(null))));
    }

    private ObjectNode searchRuns(RequestFields f) {
        Page<Run> page = tracking.searchRuns(f.stringList("experiment_ids"), f.optionalString("filter").orElse(null),
                viewType(f), f.optionalInt("max_results").orElse(null), f.stringList("order_by"),
                f.optionalString("page_token").orElse(null));
        ObjectNode out = MlflowJson.object();
        if (!page.items().isEmpty()) {
            ArrayNode runs = out.putArray("runs");
            page.items().forEach(r -> runs.add(MlflowJson.run(r, MlflowJson.RunView.SEARCHED)));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode logBatch(RequestFields f) {
        List<RequestFields> metricFields = f.objectList("metrics");
        List<RequestFields> paramFields = f.objectList("params");
        List<RequestFields> tagFields = f.objectList("tags");
        io.capstan.tracking.TrackingLimits.checkBatchLimits(metricFields.size(), paramFields.size(), tagFields.size());
        String runId = f.requiredString("run_id");
        List<Metric> metrics = new ArrayList<>(metricFields.size());
        List<ModelMetric> modelMetrics = new ArrayList<>();
        for (RequestFields m : metricFields) {
            Metric metric = metric(m);
            metrics.add(metric);
            modelMetrics.addAll(modelMetric(m, runId, metric));
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        paramFields.forEach(p -> params.add(keyValue(p, "param")));
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        tagFields.forEach(t -> tags.add(keyValue(t, "tag")));
        tracking.logBatch(runId, metrics, params, tags, modelMetrics);
        return MlflowJson.object();
    }

    /** get-history; with {@code max_results} (MLflow 3 clients send it) paged with offset tokens. */
    private ObjectNode metricHistory(RequestFields f) {
        List<Metric> history = tracking.metricHistory(runId(f), f.requiredString("metric_key"));
        Integer maxResults = f.optionalInt("max_results").filter(m -> m != 0).orElse(null);
        String token = f.optionalString("page_token").filter(t -> !t.isEmpty()).orElse(null);
        Page<Metric> page = maxResults == null && token == null ? new Page<>(history, null)
                : PageToken.page(history, maxResults == null ? Math.max(1, history.size()) : maxResults, token);
        ObjectNode out = MlflowJson.object();
        if (!page.items().isEmpty()) {
            out.set("metrics", MlflowJson.metrics(page.items()));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode logInputs(RequestFields f) {
        List<DatasetInput> inputs = new ArrayList<>();
        for (RequestFields input : f.objectList("datasets")) {
            RequestFields d = input.object("dataset").orElseThrow(() -> RequestFields.missing("datasets.dataset"));
            Dataset dataset = new Dataset(d.requiredString("name"), d.requiredString("digest"),
                    d.requiredString("source_type"), d.requiredString("source"),
                    d.optionalString("schema").orElse(null), d.optionalString("profile").orElse(null));
            inputs.add(new DatasetInput(dataset, keyValues(input.objectList("tags"), "input tag")));
        }
        List<String> models = new ArrayList<>();
        for (RequestFields model : f.objectList("models")) {
            models.add(model.optionalString("model_id").filter(id -> !id.isEmpty())
                    .orElseThrow(() -> RequestFields.missing("models.model_id")));
        }
        tracking.logInputs(f.requiredString("run_id"), inputs, models);
        return MlflowJson.object();
    }

    /** The run id from {@code run_id}, or from the older {@code run_uuid} clients also send. */
    private static String runId(RequestFields f) {
        return f.optionalString("run_id").filter(s -> !s.isEmpty())
                .or(() -> f.optionalString("run_uuid").filter(s -> !s.isEmpty()))
                .orElseThrow(() -> RequestFields.missing("run_id"));
    }

    /** The point linked to the logged model the request names in {@code model_id}; empty when it names none. */
    private static List<ModelMetric> modelMetric(RequestFields m, String runId, Metric metric) {
        String datasetName = m.optionalString("dataset_name").filter(s -> !s.isEmpty()).orElse(null);
        String datasetDigest = m.optionalString("dataset_digest").filter(s -> !s.isEmpty()).orElse(null);
        if ((datasetName == null) != (datasetDigest == null)) {
            throw CapstanException.invalidParameter("Both dataset_name and dataset_digest must be provided if one is"
                    + " provided");
        }
        return m.optionalString("model_id").filter(id -> !id.isEmpty())
                .map(id -> List.of(new ModelMetric(id, runId, metric, datasetName, datasetDigest)))
                .orElse(List.of());
    }

    private static Metric metric(RequestFields m) {
        return new Metric(m.requiredString("key"), m.requiredDouble("value"), m.requiredLong("timestamp"),
                m.optionalLong("step").orElse(0L));
    }

    private static Map.Entry<String, String> keyValue(RequestFields f, String what) {
        String key = f.optionalString("key").orElseThrow(() -> RequestFields.missing("key"));
        String value = f.optionalString("value").orElseThrow(() -> RequestFields.missing("value"));
        return new SimpleEntry<>(key, value);
    }

    private static Map<String, String> keyValues(List<RequestFields> list, String what) {
        Map<String, String> result = new HashMap<>();
        list.forEach(f -> {
            Map.Entry<String, String> kv = keyValue(f, what);
            result.put(kv.getKey(), kv.getValue());
        });
        return result;
    }

    private static ViewType viewType(RequestFields f) {
        return f.optionalString("run_view_type").or(() -> f.optionalString("view_type"))
                .map(s -> parseEnum(ViewType.class, s, "view_type")).orElse(ViewType.ACTIVE_ONLY);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CapstanException.invalidParameter("Invalid value '" + value + "' for parameter '" + field
                    + "'. Valid values are " + java.util.Arrays.toString(type.getEnumConstants()) + ".");
        }
    }

    private static ObjectNode wrap(String field, ObjectNode value) {
        ObjectNode out = MlflowJson.object();
        out.set(field, value);
        return out;
    }

    private static OperationHandler body(java.util.function.Function<RequestFields, ObjectNode> operation) {
        return (HttpRequest request, Map<String, String> path) ->
                MlflowJson.ok(operation.apply(RequestFields.of(request)));
    }
}
