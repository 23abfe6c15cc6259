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
import io.capstan.store.dynamodb.SdkFailures;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The drift API: {@code POST /models/{name}/drift} runs a check now (of the champion's captured traffic, or of the
 * dataset in {@code dataset_uri}), {@code GET /models/{name}/drift} lists the model's checks, newest first, and
 * {@code GET /models/{name}/drift/{report}} returns one check's summary and JSON report, or the HTML report with
 * {@code ?format=html}.
 */
public final class DriftFunction implements Function<HttpRequest, HttpResponse> {
    /** The most summaries one list returns. */
    public static final int MAX_RESULTS = 1000;
    private static final int DEFAULT_RESULTS = 100;

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
        RequestFields fields = RequestFields.of(request);
        Optional<Long> version = fields.optionalLong("version");
        Optional<ObjectLocation> dataset = fields.optionalString("dataset_uri").filter(s -> !s.isBlank())
                .map(uri -> ObjectLocation.parse(uri, "dataset_uri"));
        Optional<ObjectLocation> reference = fields.optionalString("reference_uri").filter(s -> !s.isBlank())
                .map(uri -> ObjectLocation.parse(uri, "reference_uri"));
        if (reference.isPresent() && dataset.isEmpty()) {
            throw CapstanException.invalidParameter("'reference_uri' needs 'dataset_uri': the captured traffic is"
                    + " always compared with the version's reference profile.");
        }
        Optional<Duration> window = fields.optionalScalarText("window_hours").map(text -> {
            try {
                return DriftSettings.hours(text, DriftSettings.MAX_WINDOW);
            } catch (IllegalArgumentException e) {
                throw CapstanException.invalidParameter("Invalid value '" + text + "' for parameter 'window_hours':"
                        + " it must be a number of hours above 0 and at most " + DriftSettings.MAX_WINDOW.toHours()
                        + ".");
            }
        });
        DriftCheckOutcome outcome = monitor.check(new DriftCheckRequest(path.get("name"), DriftCheckRequest.API,
                version, dataset, reference, window, fields.stringList("categorical")));
        if (outcome instanceof DriftCheckOutcome.Skipped skipped) {
            throw new CapstanException(ErrorCode.INVALID_STATE, skipped.reason());
        }
        DriftCheckOutcome.Checked checked = (DriftCheckOutcome.Checked) outcome;
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("summary", summary(checked.summary()));
        out.set("report", reportJson(checked.report()));
        return JsonResponses.ok(out);
    }

    private HttpResponse listReports(HttpRequest request, Map<String, String> path) {
        RequestFields fields = RequestFields.of(request);
        int limit = fields.optionalInt("max_results").orElse(DEFAULT_RESULTS);
        if (limit < 1 || limit > MAX_RESULTS) {
            throw CapstanException.invalidParameter("Invalid value " + limit + " for parameter 'max_results'"
                    + " supplied: it must be between 1 and " + MAX_RESULTS + ".");
        }
        ObjectNode out = RequestFields.JSON.createObjectNode();
        ArrayNode reports = out.putArray("reports");
        store.summaries(path.get("name"), limit).forEach(s -> reports.add(summary(s)));
        return JsonResponses.ok(out);
    }

    private HttpResponse getReport(HttpRequest request, Map<String, String> path) {
        String format = request.queryParameter("format").orElse("json");
        if (!format.equals("json") && !format.equals("html")) {
            throw CapstanException.invalidParameter("Invalid value '" + format + "' for parameter 'format': use json"
                    + " or html.");
        }
        DriftSummary summary = store.summary(path.get("name"), path.get("report")).orElseThrow(() ->
                CapstanException.notFound("No drift report " + path.get("report") + " of model '" + path.get("name")
                        + "'."));
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
