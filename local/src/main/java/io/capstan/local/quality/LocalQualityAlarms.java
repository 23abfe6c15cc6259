package io.capstan.local.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.monitoring.QualityAlarmThreshold;
import io.capstan.monitoring.QualityMetrics;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The CloudWatch quality alarms of the CDK app ({@code capstan:qualitySchedules} entries with {@code min_accuracy} or
 * {@code max_mean_absolute_error}, docs/DEPLOY.md) on the embedded platform: each published figure of a model with a
 * threshold is evaluated as the AWS alarm evaluates its one datapoint, and a change of state is logged as the alarm
 * topic would be notified ({@code ALARM quality of <model>: OK -> ALARM, Accuracy 0.3100 < 0.9000 ...}). Every alarm
 * starts in {@code INSUFFICIENT_DATA}, as CloudWatch's do; a figure of the other kind (a regressor's error for an
 * accuracy threshold) leaves it as it is.
 *
 * <p>The thresholds come from {@value #PROPERTY}: a JSON array of {@code {"model": <name>, "min_accuracy": 0.9}} or
 * {@code {"model": <name>, "max_mean_absolute_error": 2.5}} (the other fields of a CDK schedule entry are accepted and
 * ignored: the local schedule is {@code capstan.quality.scheduleSeconds}).
 */
public final class LocalQualityAlarms implements QualityMetrics {
    /** {@code capstan.quality.alarms}: the thresholds, as above. */
    public static final String PROPERTY = "capstan.quality.alarms";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("model", "schedule", "window_hours", "min_accuracy",
            "max_mean_absolute_error");

    /** An alarm's state, as CloudWatch names them. */
    public enum State { INSUFFICIENT_DATA, OK, ALARM }

    private final QualityMetrics next;
    private final Map<String, QualityAlarmThreshold> thresholds;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Consumer<String> log;

    /**
     * @param next       where every figure goes as well (the metric log lines)
     * @param thresholds the alarms' definition, {@value #PROPERTY}'s JSON; blank for none
     * @throws IllegalArgumentException naming the property and the entry when the JSON is not a list of thresholds
     */
    public LocalQualityAlarms(QualityMetrics next, String thresholds, Consumer<String> log) {
        this.next = Objects.requireNonNull(next, "next");
        this.thresholds = parse(thresholds);
        this.log = Objects.requireNonNull(log, "log");
        this.thresholds.keySet().forEach(model -> states.put(model, State.INSUFFICIENT_DATA));
        if (!this.thresholds.isEmpty()) {
            log.accept("Quality alarms: " + this.thresholds.size() + " (" + String.join(", ",
                    this.thresholds.keySet()) + "; -D" + PROPERTY + ")");
        }
    }

    @Override
    public void publish(Measured measured) {
        next.publish(measured);
        QualityAlarmThreshold threshold = thresholds.get(measured.model());
        if (threshold == null) {
            return;
        }
        boolean accuracy = measured.metric().equals(QualityMetrics.ACCURACY);
        OptionalDouble limit = accuracy ? threshold.minAccuracy() : threshold.maxMeanAbsoluteError();
        if (limit.isEmpty()) {
            return;
        }
        boolean breached = accuracy ? measured.value() < limit.getAsDouble() : measured.value() > limit.getAsDouble();
        State state = breached ? State.ALARM : State.OK;
        State before = states.put(measured.model(), state);
        if (before != state) {
            log.accept(String.format(Locale.ROOT, "%s quality of %s: %s -> %s, %s %.4f %s %.4f over %d labels (report"
                    + " %s)", state, measured.model(), before, state, measured.metric(), measured.value(),
                    accuracy ? (breached ? "<" : ">=") : (breached ? ">" : "<="), limit.getAsDouble(), measured.labelled(), measured.reportId()));
        }
    }

    /** The state of {@code model}'s alarm; empty when it has none. */
    public Optional<State> state(String model) {
        return Optional.ofNullable(states.get(model));
    }

    static Map<String, QualityAlarmThreshold> parse(String text) {
        Map<String, QualityAlarmThreshold> parsed = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return parsed;
        }
        JsonNode entries;
        try {
            entries = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(PROPERTY + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!entries.isArray()) {
            throw new IllegalArgumentException(PROPERTY + " must be a JSON array of {\"model\": ..., \"min_accuracy\":"
                    + " ...} objects, was " + entries);
        }
        for (JsonNode entry : entries) {
            if (!entry.isObject() || !entry.path("model").isTextual() || entry.get("model").asText().isBlank()) {
                throw new IllegalArgumentException(PROPERTY + ": each entry names a model, was " + entry);
            }
            entry.fieldNames().forEachRemaining(field -> {
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException(PROPERTY + ": unknown field \"" + field + "\" in " + entry
                            + "; the fields are " + FIELDS);
                }
            });
            String model = entry.get("model").asText();
            QualityAlarmThreshold threshold = QualityAlarmThreshold.read(entry, PROPERTY, model);
            if (!threshold.isPresent()) {
                continue; // a schedule entry without an alarm, as the CDK app reads it
            }
            if (model.equals("*")) {
                throw new IllegalArgumentException(PROPERTY + ": an alarm threshold needs a named model, not \"*\"");
            }
            if (parsed.put(model, threshold) != null) {
                throw new IllegalArgumentException(PROPERTY + ": model \"" + model + "\" has two alarms");
            }
        }
        return parsed;
    }
}
