package io.capstan.drift.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.DriftReport;
import io.capstan.drift.monitoring.DriftCheckOutcome;
import io.capstan.drift.monitoring.DriftCheckRequest;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.monitoring.DriftSettings;
import io.capstan.drift.monitoring.DriftStorage;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FieldLimits;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationDispatcher;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.http.RouteTable;
import io.capstan.monitoring.DriftStore;
import io.capstan.monitoring.DriftSummary;
import io.capstan.registry.RegistryLimits;
import io.capstan.store.dynamodb.SdkFailures;
import io.capstan.workflow.WorkflowEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The drift API: {@code POST /models/{name}/drift} runs a check now (of the champion's captured traffic, or of the
 * dataset in {@code dataset_uri}; a dataset too large for this function, or a prefix, starts a distributed check
 * and answers its report id with status {@code RUNNING}), {@code GET /models/{name}/drift} lists the model's checks,
 * newest first, and {@code GET /models/{name}/drift/{report}} returns one check's summary and JSON report, or the
 * HTML report with {@code ?format=html} (a distributed check still running or failed: its status).
 */
public final class DriftFunction implements Function<HttpRequest, HttpResponse> {
    /** The most summaries one list returns. */
    public static final int MAX_RESULTS = 1000;
    private static final int DEFAULT_RESULTS = 100;
    /** Columns named categorical in one request; a data set with more columns is not a drift check's. */
    static final int MAX_CATEGORICAL = 10_000;
    /** A column name, as MLflow's metric and param keys. */
    static final int MAX_COLUMN_NAME_LENGTH = 250;
    /** What {@link DriftMonitor} names reports: the check's UTC time and six hex digits. */
    private static final Pattern REPORT_ID = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}");

    private final DriftMonitor monitor;
    private final DriftStore store;
    private final DriftStorage storage;
    private final OperationDispatcher dispatcher;

    public DriftFunction(DriftMonitor monitor, DriftStore store, DriftStorage storage, RouteTable routes) {
        this.monitor = monitor;
        this.store = store;
        this.storage = storage;
        this.dispatcher = new OperationDispatcher(FunctionId.DRIFT, routes, Map.<String, OperationHandler>of(
                "RunDriftCheck", this::runCheck,
                "ListDriftReports", this::listReports,
                "GetDriftReport", this::getReport), SdkFailures::translate);
    }

    public Set<String> operations() {
        return dispatcher.operations();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        return dispatcher.apply(request);
    }

    private HttpResponse runCheck(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        RequestFields fields = RequestFields.of(request);
        Optional<Long> version = fields.optionalLong("version");
        Optional<String> datasetUri = fields.optionalString("dataset_uri").filter(s -> !s.isBlank());
        Optional<String> referenceUri = fields.optionalString("reference_uri").filter(s -> !s.isBlank());
        if (referenceUri.isPresent() && datasetUri.isEmpty()) {
            throw CapstanException.invalidParameter("'reference_uri' needs 'dataset_uri': the captured traffic is"
                    + " always compared with the version's reference profile.");
        }
        Optional<ObjectLocation> dataset = datasetUri.map(uri -> ObjectLocation.objectOrPrefixFromRequest(uri,
                "dataset_uri"));
        Optional<ObjectLocation> reference = referenceUri.map(uri -> ObjectLocation.objectOrPrefixFromRequest(uri,
                "reference_uri"));
        List<String> categorical = fields.stringList("categorical");
        if (categorical.size() > MAX_CATEGORICAL) {
            throw CapstanException.invalidParameter("Invalid value for parameter 'categorical': at most "
                    + MAX_CATEGORICAL + " columns, got " + categorical.size() + ".");
        }
        categorical.forEach(column -> FieldLimits.checkLength("categorical", column, MAX_COLUMN_NAME_LENGTH));
        Optional<Duration> window = fields.optionalScalarText("window_hours").map(text -> {
            try {
                return DriftSettings.hours(text, DriftSettings.MAX_WINDOW);
            } catch (IllegalArgumentException e) {
                throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(text) + "' for parameter"
                        + " 'window_hours':"
                        + " it must be a number of hours above 0 and at most " + DriftSettings.MAX_WINDOW.toHours()
                        + ".");
            }
        });
        DriftCheckOutcome outcome = monitor.check(new DriftCheckRequest(model, DriftCheckRequest.API,
                version, dataset, reference, window, categorical));
        if (outcome instanceof DriftCheckOutcome.Skipped skipped) {
            throw new CapstanException(ErrorCode.INVALID_STATE, skipped.reason());
        }
        if (outcome instanceof DriftCheckOutcome.Started started) {
            ObjectNode out = RequestFields.JSON.createObjectNode();
            out.putObject("summary").put("model_name", model).put("report_id", started.reportId())
                    .put("status", "RUNNING").put("mode", DriftMonitor.DISTRIBUTED).put("chunks", started.chunks());
            return JsonResponses.ok(out);
        }
        DriftCheckOutcome.Checked checked = (DriftCheckOutcome.Checked) outcome;
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("summary", summary(checked.summary()));
        out.set("report", reportJson(checked.report()));
        return JsonResponses.ok(out);
    }

    private HttpResponse listReports(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        RequestFields fields = RequestFields.of(request);
        int limit = fields.optionalInt("max_results").orElse(DEFAULT_RESULTS);
        if (limit < 1 || limit > MAX_RESULTS) {
            throw CapstanException.invalidParameter("Invalid value " + limit + " for parameter 'max_results'"
                    + " supplied: it must be between 1 and " + MAX_RESULTS + ".");
        }
        ObjectNode out = RequestFields.JSON.createObjectNode();
        ArrayNode reports = out.putArray("reports");
        store.summaries(model, limit).forEach(s -> reports.add(summary(s)));
        return JsonResponses.ok(out);
    }

    private HttpResponse getReport(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        String reportId = path.get("report");
        if (!REPORT_ID.matcher(reportId).matches()) {
            throw CapstanException.invalidParameter("Invalid drift report id '" + FieldLimits.shown(reportId)
                    + "' (parameter 'report'): report ids are the check's UTC time and six hex digits, e.g."
                    + " 20261122T102000Z-3fa9c1, as GET /models/{name}/drift lists them.");
        }
        String format = request.queryParameter("format").orElse("json");
        if (!format.equals("json") && !format.equals("html")) {
            throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(format) + "' for parameter"
                    + " 'format': use json or html.");
        }
        Optional<DriftSummary> recorded = store.summary(model, reportId);
        if (recorded.isEmpty()) {
            // a distributed check: running, or failed
            WorkflowEngine.Execution execution = monitor.distributedCheck(model, reportId).orElseThrow(() ->
                    CapstanException.notFound("No drift report " + reportId + " of model '" + model + "'."));
            ObjectNode out = RequestFields.JSON.createObjectNode();
            ObjectNode summary = out.putObject("summary").put("model_name", model).put("report_id", reportId)
                    .put("status", execution.status().equals("SUCCEEDED") ? "RUNNING" : execution.status())
                    .put("mode", DriftMonitor.DISTRIBUTED);
            execution.error().ifPresent(error -> summary.put("error", error));
            execution.cause().ifPresent(cause -> summary.put("cause", cause));
            return JsonResponses.ok(out);
        }
        DriftSummary summary = recorded.get();
        boolean html = format.equals("html");
        ObjectLocation location = ObjectLocation.parse(html ? summary.htmlUri() : summary.jsonUri(), "report");
        byte[] content = storage.read(location).orElseThrow(() -> CapstanException.notFound("The "
                + format.toUpperCase(java.util.Locale.ROOT) + " report of check " + summary.reportId() + " is no"
                + " longer stored (" + location + ")."));
        if (html) {
            return HttpResponse.bytes(200, "text/html; charset=utf-8", content);
        }
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("summary", summary(summary));
        out.set("report", parse(content));
        return JsonResponses.ok(out);
    }

    /** A summary on the wire. */
    public static ObjectNode summary(DriftSummary s) {
        ObjectNode node = RequestFields.JSON.createObjectNode()
                .put("model_name", s.modelName())
                .put("report_id", s.reportId())
                .put("timestamp", s.timestamp())
                .put("trigger", s.trigger())
                .put("mode", s.mode())
                .put("version", s.version())
                .put("dataset_drift", s.datasetDrift())
                .put("drifted_share", s.driftedShare());
        if (s.predictionDrift() != null) {
            node.put("prediction_drift", s.predictionDrift());
        }
        return node.put("reference_rows", s.referenceRows())
                .put("current_rows", s.currentRows())
                .put("json_report_uri", s.jsonUri())
                .put("html_report_uri", s.htmlUri())
                .put("decision", s.decision());
    }

    private static JsonNode reportJson(DriftReport report) {
        return parse(report.toJson());
    }

    private static JsonNode parse(byte[] json) {
        try {
            return RequestFields.JSON.readTree(json);
        } catch (IOException e) {
            throw new CapstanException(ErrorCode.INTERNAL_ERROR, "A stored drift report is not valid JSON.");
        }
    }
}
