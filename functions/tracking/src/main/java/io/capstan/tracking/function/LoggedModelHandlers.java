package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.LoggedModelService;
import io.capstan.tracking.LoggedModelStatus;
import io.capstan.tracking.TrackingService;
import io.capstan.tracking.search.LoggedModelOrder;
import io.capstan.tracking.search.MetricDataset;
import io.capstan.tracking.search.Page;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow 3's logged-model operations ({@code /logged-models/...}), with the request fields and answers of MLflow's
 * server: {@code model_id} from the path, except where MLflow reads it from the body (finalize) or requires it
 * there as well (params).
 */
final class LoggedModelHandlers {
    private final TrackingService tracking;

    LoggedModelHandlers(TrackingService tracking) {
        this.tracking = tracking;
    }

    Map<String, OperationHandler> handlers() {
        Map<String, OperationHandler> h = new HashMap<>();
        h.put("CreateLoggedModel", (req, path) -> ok(wrap(create(RequestFields.of(req)))));
        h.put("GetLoggedModel", (req, path) -> {
            boolean allowDeleted = req.queryParameter("allow_deleted").map("true"::equalsIgnoreCase).orElse(false);
            return ok(wrap(models().get(path.get("model_id"), allowDeleted)));
        });
        h.put("FinalizeLoggedModel", (req, path) -> {
            RequestFields f = RequestFields.of(req);
            String modelId = f.requiredString("model_id");
            String status = f.optionalScalarText("status").orElseThrow(() -> RequestFields.missing("status"));
            return ok(wrap(models().finalizeModel(modelId, LoggedModelStatus.parse(status, "status"))));
        });
        h.put("DeleteLoggedModel", (req, path) -> {
            models().delete(path.get("model_id"));
            return JsonResponses.empty();
        });
        h.put("SetLoggedModelTags", (req, path) -> {
            models().setTags(path.get("model_id"), keyValues(RequestFields.of(req).objectList("tags"), "tags"));
            return JsonResponses.empty();
        });
        h.put("DeleteLoggedModelTag", (req, path) -> {
            models().deleteTag(path.get("model_id"), path.get("tag_key"));
            return JsonResponses.empty();
        });
        h.put("LogLoggedModelParams", (req, path) -> {
            RequestFields f = RequestFields.of(req);
            f.requiredString("model_id");
            models().logParams(path.get("model_id"), entries(f.objectList("params"), "params"));
            return JsonResponses.empty();
        });
        h.put("SearchLoggedModels", (req, path) -> ok(search(req)));
        return h;
    }

    private LoggedModel create(RequestFields f) {
        return models().create(f.requiredString("experiment_id"), f.optionalString("name").orElse(null),
                f.optionalString("model_type").orElse(null), f.optionalString("source_run_id").orElse(null),
                keyValues(f.objectList("tags"), "tags"), entries(f.objectList("params"), "params"));
    }

    private ObjectNode search(HttpRequest req) {
        RequestFields f = RequestFields.of(req);
        if (!RequestBodies.has(req, "experiment_ids")) {
            throw RequestFields.missing("experiment_ids");
        }
        List<MetricDataset> datasets = new ArrayList<>();
        for (RequestFields d : f.objectList("datasets")) {
            String name = d.optionalString("dataset_name").filter(s -> !s.isEmpty()).orElseThrow(() ->
                    CapstanException.invalidParameter(
                            "`dataset_name` in the `datasets` clause must be specified."));
            datasets.add(new MetricDataset(name, d.optionalString("dataset_digest").filter(s -> !s.isEmpty())
                    .orElse(null)));
        }
        List<LoggedModelOrder.Term> orderBy = new ArrayList<>();
        for (RequestFields o : f.objectList("order_by")) {
            orderBy.add(new LoggedModelOrder.Term(o.optionalString("field_name").orElse(null),
                    o.optionalBoolean("ascending").orElse(true),
                    o.optionalString("dataset_name").filter(s -> !s.isEmpty()).orElse(null),
                    o.optionalString("dataset_digest").filter(s -> !s.isEmpty()).orElse(null)));
        }
        Page<LoggedModel> page = models().search(f.stringList("experiment_ids"), f.optionalString("filter").orElse(null),
                datasets, f.optionalInt("max_results").orElse(null), orderBy,
                f.optionalString("page_token").orElse(null));
        ObjectNode out = MlflowJson.object();
        if (!page.items().isEmpty()) {
            ArrayNode models = out.putArray("models");
            page.items().forEach(m -> models.add(MlflowJson.loggedModel(m)));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private LoggedModelService models() {
        return tracking.loggedModels();
    }

    /** Key-value pairs as MLflow's {@code LoggedModelTag}/{@code LoggedModelParameter}: a key, a value or "". */
    private static List<Map.Entry<String, String>> entries(List<RequestFields> list, String field) {
        List<Map.Entry<String, String>> result = new ArrayList<>(list.size());
        for (RequestFields kv : list) {
            String key = kv.optionalString("key").filter(k -> !k.isEmpty())
                    .orElseThrow(() -> RequestFields.missing(field + ".key"));
            result.add(new SimpleEntry<>(key, kv.optionalString("value").orElse("")));
        }
        return result;
    }

    private static Map<String, String> keyValues(List<RequestFields> list, String field) {
        Map<String, String> result = new HashMap<>();
        entries(list, field).forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private static ObjectNode wrap(LoggedModel model) {
        ObjectNode out = MlflowJson.object();
        out.set("model", MlflowJson.loggedModel(model));
        return out;
    }

    private static HttpResponse ok(ObjectNode body) {
        return MlflowJson.ok(body);
    }
}
