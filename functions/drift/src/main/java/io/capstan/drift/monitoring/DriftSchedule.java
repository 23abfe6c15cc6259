package io.capstan.drift.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scheduled drift check, as the EventBridge rule's input delivers it: {@code {"source": "capstan.schedule",
 * "model": "<name>"}}, or {@code "model": "*"} for every model with a champion.
 *
 * @param model the model's name, or {@value #ALL_MODELS}
 */
public record DriftSchedule(String model) {
    public static final String SOURCE = "capstan.schedule";
    public static final String ALL_MODELS = "*";
    private static final ObjectMapper JSON = new ObjectMapper();

    public DriftSchedule {
        Objects.requireNonNull(model, "model");
    }

    /** The schedule an event is, or empty when it is something else (an API request). */
    public static Optional<DriftSchedule> from(JsonNode event) {
        if (!SOURCE.equals(event.path("source").asText())) {
            return Optional.empty();
        }
        String model = event.path("model").asText(ALL_MODELS);
        return Optional.of(new DriftSchedule(model.isBlank() ? ALL_MODELS : model));
    }

    /** Runs the scheduled checks. */
    public List<DriftCheckOutcome> run(DriftMonitor monitor) {
        return model.equals(ALL_MODELS) ? monitor.checkAll() : List.of(monitor.checkScheduled(model));
    }

    /** The outcomes as the invocation's result (shown in the console and in the schedule's logs). */
    public static ObjectNode result(List<DriftCheckOutcome> outcomes) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode checks = out.putArray("checks");
        for (DriftCheckOutcome outcome : outcomes) {
            ObjectNode node = checks.addObject().put("model_name", outcome.modelName());
            if (outcome instanceof DriftCheckOutcome.Checked c) {
                node.put("report_id", c.summary().reportId())
                        .put("dataset_drift", c.summary().datasetDrift())
                        .put("drifted_share", c.summary().driftedShare())
                        .put("html_report_uri", c.summary().htmlUri())
                        .put("decision", c.summary().decision());
            } else if (outcome instanceof DriftCheckOutcome.Skipped s) {
                node.put("skipped", s.reason());
            }
        }
        return out;
    }
}
