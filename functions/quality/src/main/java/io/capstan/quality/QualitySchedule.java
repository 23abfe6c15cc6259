package io.capstan.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.quality.abtest.AbComparison;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scheduled quality check, as the EventBridge rule's input delivers it:
 * {@code {"source": "capstan.quality-schedule", "model": "<name>", "window_hours": 24}}, or {@code "model": "*"} for
 * every model with prediction records; {@code window_hours} is optional (24).
 *
 * @param model  the model's name, or {@value #ALL_MODELS}
 * @param window the predictions of the last this long are measured
 */
public record QualitySchedule(String model, Duration window) {
    private static final System.Logger LOG = System.getLogger(QualitySchedule.class.getName());
    public static final String SOURCE = "capstan.quality-schedule";
    public static final String ALL_MODELS = "*";
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();

    public QualitySchedule {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(window, "window");
    }

    /**
     * The schedule an event is, or empty when it is something else (an API request).
     *
     * @throws IllegalArgumentException for a schedule whose window is not a number of hours above 0 and at most 744
     */
    public static Optional<QualitySchedule> from(JsonNode event) {
        if (!SOURCE.equals(event.path("source").asText())) {
            return Optional.empty();
        }
        String model = event.path("model").asText(ALL_MODELS);
        Duration window = DEFAULT_WINDOW;
        if (event.hasNonNull("window_hours")) {
            double hours = event.path("window_hours").asDouble(-1);
            if (!(hours > 0 && hours <= QualityMonitor.MAX_WINDOW.toHours())) {
                throw new IllegalArgumentException("window_hours of a quality schedule must be above 0 and at most "
                        + QualityMonitor.MAX_WINDOW.toHours() + ", got " + event.path("window_hours"));
            }
            window = Duration.ofMillis(Math.round(hours * 3_600_000));
        }
        return Optional.of(new QualitySchedule(model.isBlank() ? ALL_MODELS : model, window));
    }

    /** Runs the scheduled checks: the model's, or every model's with prediction records. */
    public List<QualityReport> run(QualityMonitor monitor) {
        List<String> models = model.equals(ALL_MODELS) ? monitor.modelsWithRecords() : List.of(model);
        List<QualityReport> reports = new java.util.ArrayList<>();
        for (String name : models) {
            try {
                reports.add(monitor.check(QualityMonitor.CheckRequest.scheduled(name, window)));
            } catch (RuntimeException e) {
                // one model's failed check does not keep the others unchecked (as the drift schedule)
                LOG.log(System.Logger.Level.ERROR, "the scheduled quality check of " + name + " failed", e);
            }
        }
        return reports;
    }

    /** The reports' outcomes as the invocation's result (shown in the schedule's logs). */
    public static ObjectNode result(List<QualityReport> reports) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode checks = out.putArray("checks");
        for (QualityReport report : reports) {
            ObjectNode check = checks.addObject().put("model_name", report.model())
                    .put("report_id", report.reportId()).put("decision", report.decision());
            ArrayNode versions = check.putArray("versions");
            report.versions().forEach(v -> versions.addObject().put("version", v.version())
                    .put("labelled", v.labelled()));
            report.abTest().map(AbComparison::verdict).ifPresent(verdict -> check.put("ab_verdict",
                    verdict.name().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }
}
