package io.capstan.infra.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.constructs.Construct;

/**
 * One scheduled drift check: an EventBridge schedule invoking the drift function with
 * {@code {"source": "capstan.schedule", "model": <model>}}. {@code "*"} checks every model with a champion.
 *
 * <p>The schedules come from the CDK context key {@value #CONTEXT_KEY}: a JSON array of objects
 * {@code {"model": "<name or *>", "schedule": "rate(...)" | "cron(...)"}}, given in {@code cdk.json} or as a string
 * ({@code cdk deploy -c 'capstan:driftSchedules=[{"model":"churn","schedule":"rate(30 minutes)"}]'}). Unset, there is
 * one schedule, {@link #DEFAULT}; an empty array schedules nothing (checks then run only on demand).
 *
 * @param model      the model's registered name, or {@value #ALL_MODELS}
 * @param expression the EventBridge schedule expression
 */
public record DriftSchedule(String model, String expression) {

    /** CDK context key holding the schedules. */
    public static final String CONTEXT_KEY = "capstan:driftSchedules";
    /** The model value meaning every model with a champion (the drift function's {@code DriftSchedule.ALL_MODELS}). */
    public static final String ALL_MODELS = "*";
    /** The event source the drift function recognises as its schedule. */
    public static final String EVENT_SOURCE = "capstan.schedule";
    private static final Pattern EXPRESSION = Pattern.compile("(rate|cron)\\([^()]+\\)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MODEL_NAME = 256;

    /** Every model, every hour (declared after the fields its validation reads). */
    public static final DriftSchedule DEFAULT = new DriftSchedule(ALL_MODELS, "rate(1 hour)");

    public DriftSchedule {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(expression, "expression");
        if (model.isBlank() || model.length() > MAX_MODEL_NAME || !model.equals(model.strip())) {
            throw new IllegalArgumentException(CONTEXT_KEY + ": model must be a registered model's name (1.."
                    + MAX_MODEL_NAME + " characters, no surrounding spaces) or \"*\", was \"" + model + "\"");
        }
        if (!EXPRESSION.matcher(expression).matches()) {
            throw new IllegalArgumentException(CONTEXT_KEY + ": schedule of model \"" + model + "\" must be an "
                    + "EventBridge schedule expression, rate(...) or cron(...), was \"" + expression + "\"");
        }
    }

    /** Whether this schedule checks every model with a champion. */
    public boolean allModels() {
        return model.equals(ALL_MODELS);
    }

    /** The input the rule sends the drift function: {@code {"source": "capstan.schedule", "model": <model>}}. */
    public Map<String, Object> input() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("source", EVENT_SOURCE);
        input.put("model", model);
        return input;
    }

    /**
     * A construct id for this schedule's resources, stable whatever the order of the list: {@code AllModels}, or
     * the model name's letters and digits followed by a hash of the name (two names differing only in other
     * characters stay apart).
     */
    public String constructId() {
        if (allModels()) {
            return "AllModels";
        }
        String letters = model.replaceAll("[^A-Za-z0-9]", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8));
            return "Model" + (letters.length() > 40 ? letters.substring(0, 40) : letters)
                    + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The schedules in the CDK context of {@code scope}.
     *
     * @throws IllegalArgumentException when the value is not an array of {model, schedule} objects, a model repeats,
     *                                  or a value is invalid
     */
    public static List<DriftSchedule> fromContext(Construct scope) {
        Object value = scope.getNode().tryGetContext(CONTEXT_KEY);
        if (value == null) {
            return List.of(DEFAULT);
        }
        JsonNode node;
        try {
            node = value instanceof String text ? JSON.readTree(text) : JSON.valueToTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(CONTEXT_KEY + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return parse(node);
    }

    /** The schedules in {@code node}: an array of {@code {"model", "schedule"}} objects. */
    static List<DriftSchedule> parse(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(CONTEXT_KEY + " must be a JSON array of {\"model\": ..., \"schedule\": "
                    + "...} objects, was " + node);
        }
        List<DriftSchedule> schedules = new ArrayList<>();
        Set<String> models = new HashSet<>();
        for (JsonNode entry : node) {
            JsonNode model = entry.get("model");
            JsonNode schedule = entry.get("schedule");
            if (!entry.isObject() || model == null || !model.isTextual() || schedule == null || !schedule.isTextual()
                    || entry.size() != 2) {
                throw new IllegalArgumentException(CONTEXT_KEY + ": each entry is {\"model\": \"<name or *>\", "
                        + "\"schedule\": \"rate(...) or cron(...)\"} and nothing else, was " + entry);
            }
            DriftSchedule parsed = new DriftSchedule(model.asText(), schedule.asText());
            if (!models.add(parsed.model())) {
                throw new IllegalArgumentException(CONTEXT_KEY + ": model \"" + parsed.model() + "\" is scheduled twice");
            }
            schedules.add(parsed);
        }
        return List.copyOf(schedules);
    }
}
