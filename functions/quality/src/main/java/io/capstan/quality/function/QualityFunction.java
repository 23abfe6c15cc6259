package io.capstan.quality.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.capstan.monitoring.PredictionKeys;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.QualityReport;
import io.capstan.quality.feedback.FeedbackBatch;
import io.capstan.quality.feedback.FeedbackCsv;
import io.capstan.quality.report.QualityReportJson;
import io.capstan.quality.storage.QualityStorage;
import io.capstan.registry.RegistryLimits;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.RandomSuffixes;
import io.capstan.store.dynamodb.SdkFailures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The quality API: {@code POST /models/{name}/feedback} takes ground truth for prediction ids ({@link FeedbackBatch}),
 * in the call or as a CSV file under {@code feedback/<model>/} of the dataset bucket ({@link FeedbackCsv}),
 * {@code POST /models/{name}/quality} runs a check now, {@code GET /models/{name}/quality} lists the model's reports
 * (newest first) and {@code GET /models/{name}/quality/{report}} returns one as JSON, or as HTML with
 * {@code ?format=html}.
 */
public final class QualityFunction implements Function<HttpRequest, HttpResponse> {
    /** The most reports one list returns. */
    public static final int MAX_RESULTS = 100;
    private static final int DEFAULT_RESULTS = 20;
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    private static final Pattern REPORT_ID = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");

    private final QualityMonitor monitor;
    private final QualityStorage storage;
    private final Optional<String> feedbackFiles;
    private final Clock clock;
    private final OperationDispatcher dispatcher;

    /** A function that takes feedback in calls only (no bucket for feedback files). */
    public QualityFunction(QualityMonitor monitor, QualityStorage storage, Clock clock, RouteTable routes) {
        this(monitor, storage, Optional.empty(), clock, routes);
    }

    /**
     * @param feedbackFiles the bucket feedback files are read from ({@code s3://<it>/feedback/<model>/...csv}: the
     *                      dataset bucket), when there is one
     */
    public QualityFunction(QualityMonitor monitor, QualityStorage storage, Optional<String> feedbackFiles, Clock clock,
                           RouteTable routes) {
        this.monitor = monitor;
        this.storage = storage;
        this.feedbackFiles = feedbackFiles;
        this.clock = clock;
        this.dispatcher = new OperationDispatcher(FunctionId.QUALITY, routes, Map.<String, OperationHandler>of(
                "PostFeedback", this::postFeedback,
                "RunQualityCheck", this::runCheck,
                "ListQualityReports", this::listReports,
                "GetQualityReport", this::getReport), SdkFailures::translate);
    }

    public Set<String> operations() {
        return dispatcher.operations();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        return dispatcher.apply(request);
    }

    private HttpResponse postFeedback(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        RequestFields fields = RequestFields.of(request);
        Optional<String> source = fields.optionalString("source");
        FeedbackBatch batch = source.isPresent() ? fromFile(model, source.get())
                : FeedbackBatch.read(fields.node("labels").orElse(null));
        if (batch.accepted().isEmpty()) {
            throw CapstanException.invalidParameter("No label of this call could be used (" + batch.rejected()
                    + "), so nothing was stored: " + String.join("; ", batch.errors()));
        }
        long received = clock.millis();
        List<FeedbackBatch.Feedback> accepted = batch.accepted();
        for (int from = 0; from < accepted.size(); from += FeedbackBatch.MAX_LABELS) {
            String key = PredictionKeys.feedback(model, received, RandomSuffixes.hex(6));
            storage.put(key, lines(accepted.subList(from, Math.min(accepted.size(), from + FeedbackBatch.MAX_LABELS)),
                    received), "application/gzip");
        }
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.put("accepted", accepted.size());
        ObjectNode rejected = out.putObject("rejected");
        batch.rejected().forEach(rejected::put);
        ArrayNode errors = out.putArray("errors");
        batch.errors().forEach(errors::add);
        out.put("received", received);
        out.put("note", "Whether each id was predicted, and each label is one of the model's classes, is counted by the"
                + " next quality check (unknown_id, unknown_label); a label sent again for an id does not count twice.");
        return JsonResponses.ok(out);
    }

    /** The labels of a CSV file under {@code feedback/<model>/} of the dataset bucket. */
    private FeedbackBatch fromFile(String model, String uri) {
        String bucket = feedbackFiles.orElseThrow(() -> CapstanException.invalidParameter("Feedback files are not"
                + " read on this platform (no dataset bucket); send the labels in the call ('labels')."));
        String prefix = KeyPrefixes.FEEDBACK + model + "/";
        String expected = "s3://" + bucket + "/" + prefix;
        if (!uri.startsWith(expected) || uri.length() == expected.length() || uri.contains("/../")) {
            throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(uri) + "' for parameter"
                    + " 'source': a CSV file under " + expected + " (upload it there first).");
        }
        String key = uri.substring(("s3://" + bucket + "/").length());
        try (InputStream in = storage.open(bucket, key).orElseThrow(() -> new CapstanException(
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "No feedback file at " + FieldLimits.shown(uri) + "."));
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return FeedbackBatch.check(FeedbackCsv.read(reader, uri), "row");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + uri, e);
        }
    }

    private static byte[] lines(List<FeedbackBatch.Feedback> labels, long received) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(labels.size() * 48);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            for (FeedbackBatch.Feedback feedback : labels) {
                ObjectNode line = RequestFields.JSON.createObjectNode().put("id", feedback.id());
                if (feedback.isLabel()) {
                    line.put("label", feedback.label());
                } else {
                    line.put("value", feedback.value());
                }
                line.put("received", received);
                zip.write(RequestFields.JSON.writeValueAsBytes(line));
                zip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing feedback in memory", e);
        }
        return out.toByteArray();
    }

    private HttpResponse runCheck(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        RequestFields fields = RequestFields.of(request);
        Duration window = fields.optionalScalarText("window_hours").map(QualityFunction::window)
                .orElse(DEFAULT_WINDOW);
        Optional<String> champion = fields.optionalScalarText("champion").map(v -> version("champion", v));
        Optional<String> challenger = fields.optionalScalarText("challenger").map(v -> version("challenger", v));
        if (champion.isPresent() != challenger.isPresent()) {
            throw CapstanException.invalidParameter("Give both 'champion' and 'challenger' (versions), or neither.");
        }
        OptionalDouble alpha = fields.optionalScalarText("alpha").map(text -> OptionalDouble.of(share("alpha", text)))
                .orElse(OptionalDouble.empty());
        OptionalDouble effect = fields.optionalScalarText("minimum_detectable_effect")
                .map(text -> OptionalDouble.of(share("minimum_detectable_effect", text))).orElse(OptionalDouble.empty());
        QualityReport report = monitor.check(new QualityMonitor.CheckRequest(model, "api", window, champion,
                challenger, alpha, effect));
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("report", QualityReportJson.toJson(report));
        return JsonResponses.ok(out);
    }

    private HttpResponse listReports(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        RequestFields fields = RequestFields.of(request);
        int max = fields.optionalInt("max_results").orElse(DEFAULT_RESULTS);
        if (max < 1 || max > MAX_RESULTS) {
            throw CapstanException.invalidParameter("Invalid value " + max + " for parameter 'max_results': it must"
                    + " be from 1 to " + MAX_RESULTS + ".");
        }
        List<String> ids = storage.list(QualityMonitor.reportsOf(model)).stream()
                .filter(key -> key.endsWith("/report.json"))
                .map(key -> key.substring(QualityMonitor.reportsOf(model).length(), key.length() - 12))
                .filter(id -> REPORT_ID.matcher(id).matches())
                .sorted(Comparator.reverseOrder()).limit(max).toList();
        ObjectNode out = RequestFields.JSON.createObjectNode();
        ArrayNode reports = out.putArray("reports");
        for (String id : ids) {
            storage.read(QualityMonitor.reportFolder(model, id) + "report.json").map(QualityFunction::parse)
                    .ifPresent(reports::add);
        }
        return JsonResponses.ok(out);
    }

    private HttpResponse getReport(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        String id = path.get("report");
        String format = request.queryParameter("format").orElse("json");
        if (!format.equals("json") && !format.equals("html")) {
            throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(format) + "' for parameter"
                    + " 'format': json or html.");
        }
        Optional<byte[]> stored = REPORT_ID.matcher(id).matches()
                ? storage.read(QualityMonitor.reportFolder(model, id) + "report." + format) : Optional.empty();
        if (stored.isEmpty()) {
            throw new CapstanException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No quality report '" + FieldLimits.shown(id)
                    + "' of model '" + model + "'.");
        }
        if (format.equals("html")) {
            return HttpResponse.bytes(200, "text/html; charset=utf-8", stored.get());
        }
        ObjectNode out = RequestFields.JSON.createObjectNode();
        out.set("report", parse(stored.get()));
        return JsonResponses.ok(out);
    }

    private static JsonNode parse(byte[] json) {
        try {
            return RequestFields.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored quality report is not JSON", e);
        }
    }

    private static Duration window(String text) {
        try {
            double hours = Double.parseDouble(text);
            if (hours > 0 && hours <= QualityMonitor.MAX_WINDOW.toHours()) {
                return Duration.ofMillis(Math.round(hours * 3_600_000));
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(text) + "' for parameter"
                + " 'window_hours': a number of hours above 0 and at most " + QualityMonitor.MAX_WINDOW.toHours() + ".");
    }

    private static String version(String field, String text) {
        if (!VERSION.matcher(text).matches()) {
            throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(text) + "' for parameter '"
                    + field + "': a model version number.");
        }
        return text;
    }

    private static double share(String field, String text) {
        try {
            double value = Double.parseDouble(text);
            if (value > 0 && value < 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(text) + "' for parameter '"
                + field + "': a number between 0 and 1.");
    }
}
