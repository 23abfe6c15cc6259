package io.capstan.quality.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.RequestFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code POST /models/{name}/feedback} body: ground truth for prediction ids,
 * <pre>{@code {"labels": [{"id": "order-17", "label": "benign"}, {"id": "order-18", "value": 41.5}, ...]}}</pre>
 * (a classifier's label as a string, a regressor's value as a number; at most {@value #MAX_LABELS} per call). Entries
 * that cannot be used are counted by reason and the first {@value #MAX_REPORTED_ERRORS} described with their index,
 * never silently dropped: an id that is missing or not 1 to 128 characters ({@code invalid_id}), a label that is
 * neither a string nor a finite number ({@code invalid_label}), an id given twice in the call ({@code duplicate_id}:
 * the first stands). Whether an id was ever predicted and whether a label is one of the model's classes is known only
 * against the prediction records: the quality check counts those ({@code unknown_id}, {@code unknown_label}).
 *
 * @param accepted the entries to store, in the order sent
 * @param rejected per reason, how many entries were not taken
 * @param errors   the first entries not taken, each with its index and reason
 */
public record FeedbackBatch(List<Feedback> accepted, Map<String, Long> rejected, List<String> errors) {
    public static final int MAX_LABELS = 10_000;
    public static final int MAX_REPORTED_ERRORS = 20;
    public static final int MAX_ID_LENGTH = 128;

    /** Ground truth for one prediction: a class label or a regression value (the other null / NaN). */
    public record Feedback(String id, String label, double value) {
        public boolean isLabel() {
            return label != null;
        }
    }

    public FeedbackBatch {
        accepted = List.copyOf(accepted);
        rejected = Map.copyOf(rejected);
        errors = List.copyOf(errors);
    }

    /**
     * Reads and checks a request's body.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when the body is not an object with a non-empty
     *                          {@code labels} list of at most {@value #MAX_LABELS} entries
     */
    public static FeedbackBatch read(HttpRequest request) {
        RequestFields.of(request); // the body's content type and JSON shape, checked as every Capstan API does
        JsonNode labels;
        try {
            labels = RequestFields.JSON.readTree(request.body()).get("labels");
        } catch (java.io.IOException e) {
            throw CapstanException.invalidParameter("Malformed request: the body is not valid JSON.");
        }
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            throw CapstanException.invalidParameter("Missing value for required parameter 'labels': a list of"
                    + " {\"id\": ..., \"label\": ...} (or \"value\" for a regressor), at most " + MAX_LABELS + ".");
        }
        if (labels.size() > MAX_LABELS) {
            throw CapstanException.invalidParameter("Invalid value for parameter 'labels': at most " + MAX_LABELS
                    + " entries per call, got " + labels.size() + "; send them in several calls.");
        }
        List<Feedback> accepted = new ArrayList<>(labels.size());
        Map<String, Long> rejected = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>(labels.size() * 2);
        for (int i = 0; i < labels.size(); i++) {
            JsonNode entry = labels.get(i);
            String problem = null;
            String reason = null;
            JsonNode id = entry.isObject() ? entry.get("id") : null;
            String idText = id != null && (id.isTextual() || id.isIntegralNumber()) ? id.asText() : null;
            if (idText == null || idText.isEmpty() || idText.length() > MAX_ID_LENGTH) {
                reason = "invalid_id";
                problem = "'id' must be a string or an integer of 1 to " + MAX_ID_LENGTH + " characters";
            }
            JsonNode label = entry.isObject() ? entry.get("label") : null;
            JsonNode value = entry.isObject() ? entry.get("value") : null;
            Feedback feedback = null;
            if (reason == null) {
                if (label != null && value == null && (label.isTextual() || label.isIntegralNumber())
                        && !label.asText().isEmpty()) {
                    feedback = new Feedback(idText, label.asText(), Double.NaN);
                } else if (value != null && label == null && value.isNumber() && Double.isFinite(value.doubleValue())) {
                    feedback = new Feedback(idText, null, value.doubleValue());
                } else {
                    reason = "invalid_label";
                    problem = "give exactly one of 'label' (a class, as a string) and 'value' (a finite number)";
                }
            }
            if (reason == null) {
                Integer first = seen.putIfAbsent(idText, i);
                if (first != null) {
                    reason = "duplicate_id";
                    problem = "id '" + idText + "' is also at labels[" + first + "], which stands";
                }
            }
            if (reason != null) {
                rejected.merge(reason, 1L, Long::sum);
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add("labels[" + i + "]: " + problem);
                }
            } else {
                accepted.add(feedback);
            }
        }
        return new FeedbackBatch(accepted, rejected, errors);
    }
}
