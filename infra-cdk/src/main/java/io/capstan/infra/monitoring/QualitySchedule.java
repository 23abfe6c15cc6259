package io.capstan.infra.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.monitoring.QualityAlarmThreshold;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import software.constructs.Construct;

/**
 * One scheduled quality check: an EventBridge schedule invoking the quality function with
 * {@code {"source": "capstan.quality-schedule", "model": <model>, "window_hours": <hours>}}; {@code "*"} checks every
 * model with prediction records. A named model may carry an alarm threshold: {@code min_accuracy} (a classifier's
 * accuracy over the window below it alarms) or {@code max_mean_absolute_error} (a regressor's error above it alarms).
 *
 * <p>The schedules come from the CDK context key {@value #CONTEXT_KEY}: a JSON array of objects
 * {@code {"model": "<name or *>", "schedule": "rate(...)" | "cron(...)", "window_hours": 24, "min_accuracy": 0.9}}
 * (the last three optional), in {@code cdk.json} or as a string. Unset, there is one schedule, {@link #DEFAULT}; an
 * empty array schedules nothing (checks then run only on demand).
 *
 * @param model                the model's registered name, or {@value DriftSchedule#ALL_MODELS}
 * @param expression           the EventBridge schedule expression
 * @param windowHours          the window each check reads, in hours (0 to 744)
 * @param minAccuracy          the alarm's threshold for a classifier, when given
 * @param maxMeanAbsoluteError the alarm's threshold for a regressor, when given
 */
public record QualitySchedule(String model, String expression, double windowHours, OptionalDouble minAccuracy,
                              OptionalDouble maxMeanAbsoluteError) {

    /** CDK context key holding the schedules. */
    public static final String CONTEXT_KEY = "capstan:qualitySchedules";
    /** The event source the quality function recognises as its schedule. */
    public static final String EVENT_SOURCE = "capstan.quality-schedule";
    public static final double DEFAULT_WINDOW_HOURS = 24;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("model", "schedule", "window_hours", "min_accuracy",
            "max_mean_absolute_error");

    /** Every model with prediction records, every hour, over the last 24 hours, with no alarm. */
    public static final QualitySchedule DEFAULT = new QualitySchedule(DriftSchedule.ALL_MODELS, "rate(1 hour)",
            DEFAULT_WINDOW_HOURS, OptionalDouble.empty(), OptionalDouble.empty());

    public QualitySchedule {
        // the model's name and the expression are checked as a drift schedule's are
        new DriftSchedule(model, expression);
        if (!(windowHours > 0 && windowHours <= 744)) {
            throw new IllegalArgumentException(CONTEXT_KEY + ": window_hours of model \"" + model + "\" must be above 0"
                    + " and at most 744, was " + windowHours);
        }
        QualityAlarmThreshold threshold = new QualityAlarmThreshold(minAccuracy, maxMeanAbsoluteError);
        threshold.check(CONTEXT_KEY, model);
        if (threshold.isPresent() && model.equals(DriftSchedule.ALL_MODELS)) {
            throw new IllegalArgumentException(CONTEXT_KEY + ": an alarm threshold needs a named model, not \"*\"");
        }
    }

    /** The input the rule sends the quality function. */
    public Map<String, Object> input() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("source", EVENT_SOURCE);
        input.put("model", model);
        input.put("window_hours", windowHours);
        return input;
    }

    /** A construct id for this schedule's resources, as a drift schedule's of the same model. */
    public String constructId() {
        return new DriftSchedule(model, expression).constructId();
    }

    /**
     * The schedules in the CDK context of {@code scope}.
     *
     * @throws IllegalArgumentException when the value is not an array of schedule objects, a model repeats, or a value
     *                                  is invalid
     */
    public static List<QualitySchedule> fromContext(Construct scope) {
        Object value = scope.getNode().tryGetContext(CONTEXT_KEY);
        if (value == null) {
            return List.of(DEFAULT);
        }
        try {
            return parse(value instanceof String text ? JSON.readTree(text) : JSON.valueToTree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(CONTEXT_KEY + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static List<QualitySchedule> parse(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(CONTEXT_KEY + " must be a JSON array of {\"model\": ..., \"schedule\": "
                    + "...} objects, was " + node);
        }
        List<QualitySchedule> schedules = new ArrayList<>();
        Set<String> models = new HashSet<>();
        for (JsonNode entry : node) {
            if (!entry.isObject() || !entry.path("model").isTextual() || !entry.path("schedule").isTextual()) {
                throw new IllegalArgumentException(CONTEXT_KEY + ": each entry is {\"model\": \"<name or *>\", "
                        + "\"schedule\": \"rate(...) or cron(...)\"} with optional window_hours, min_accuracy or"
                        + " max_mean_absolute_error, was " + entry);
            }
            entry.fieldNames().forEachRemaining(field -> {
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException(CONTEXT_KEY + ": unknown field \"" + field + "\" in " + entry
                            + "; the fields are " + FIELDS);
                }
            });
            QualityAlarmThreshold threshold = QualityAlarmThreshold.read(entry, CONTEXT_KEY, entry.get("model")
                    .asText());
            QualitySchedule parsed = new QualitySchedule(entry.get("model").asText(), entry.get("schedule").asText(),
                    QualityAlarmThreshold.number(entry, "window_hours", CONTEXT_KEY).orElse(DEFAULT_WINDOW_HOURS),
                    threshold.minAccuracy(), threshold.maxMeanAbsoluteError());
            if (!models.add(parsed.model())) {
                throw new IllegalArgumentException(CONTEXT_KEY + ": model \"" + parsed.model() + "\" is scheduled twice");
            }
            schedules.add(parsed);
        }
        return List.copyOf(schedules);
    }
}
