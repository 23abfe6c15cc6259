package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.http.HttpResponse;
import io.capstan.tracking.Dataset;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.ViewType;
import io.capstan.tracking.search.Page;
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
            tracking.logBatch(runId(f), List.of(metric(f)), List.of(), List.of());
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
        h.put("GetMetricHistory", body(f -> {
            List<Metric> history = tracking.metricHistory(runId(f), f.requiredString("metric_key"));
            ObjectNode out = MlflowJson.object();
            if (!history.isEmpty()) {
                out.set("metrics", MlflowJson.metrics(history));
            }
            return out;
        }));
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
        return wrap("run", MlflowJson.run(run));
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
            page.items().forEach(r -> runs.add(MlflowJson.run(r)));
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
        List<Metric> metrics = new ArrayList<>(metricFields.size());
        metricFields.forEach(m -> metrics.add(metric(m)));
        List<Map.Entry<String, String>> params = new ArrayList<>();
        paramFields.forEach(p -> params.add(keyValue(p, "param")));
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        tagFields.forEach(t -> tags.add(keyValue(t, "tag")));
        tracking.logBatch(f.requiredString("run_id"), metrics, params, tags);
        return MlflowJson.object();
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
        tracking.logInputs(f.requiredString("run_id"), inputs);
        return MlflowJson.object();
    }

    /** The run id from {@code run_id}, or from the older {@code run_uuid} clients also send. */
    private static String runId(RequestFields f) {
        return f.optionalString("run_id").filter(s -> !s.isEmpty())
                .or(() -> f.optionalString("run_uuid").filter(s -> !s.isEmpty()))
                .orElseThrow(() -> RequestFields.missing("run_id"));
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
        return (HttpRequest request, Map<String, String> path) -> {
            HttpResponse response = JsonResponses.ok(operation.apply(RequestFields.of(request)));
            return response;
        };
    }
}
