package io.capstan.quality.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
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
     * One label as sent, before it is checked: its position, its id and its label or value as text and number, or
     * what made it unreadable.
     *
     * @param index   its position in the call (JSON) or its row (CSV, from 0 after the header)
     * @param id      the id as text; null when missing or not a string or integer
     * @param label   the class label; null when none was given
     * @param value   the regression value; null when none was given
     * @param problem why the label cannot be read (a label that is neither text nor a number); null when readable
     */
    public record Entry(int index, String id, String label, Double value, String problem) {
    }

    /**
     * Reads and checks a request's {@code labels} field (null when the body has none).
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when the body is not an object with a non-empty
     *                          {@code labels} list of at most {@value #MAX_LABELS} entries
     */
    public static FeedbackBatch read(JsonNode labels) {
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            throw CapstanException.invalidParameter("Missing value for required parameter 'labels': a list of"
                    + " {\"id\": ..., \"label\": ...} (or \"value\" for a regressor), at most " + MAX_LABELS
                    + "; or 'source': the s3:// URI of a CSV file with columns id and label (or value).");
        }
        if (labels.size() > MAX_LABELS) {
            throw CapstanException.invalidParameter("Invalid value for parameter 'labels': at most " + MAX_LABELS
                    + " entries per call, got " + labels.size() + "; send them in several calls, or as a CSV file"
                    + " ('source').");
        }
        List<Entry> entries = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            entries.add(entry(i, labels.get(i)));
        }
        return check(entries, "labels");
    }

    private static Entry entry(int index, JsonNode entry) {
        JsonNode id = entry.isObject() ? entry.get("id") : null;
        String idText = id != null && (id.isTextual() || id.isIntegralNumber()) ? id.asText() : null;
        JsonNode label = entry.isObject() ? entry.get("label") : null;
        JsonNode value = entry.isObject() ? entry.get("value") : null;
        boolean readable = (label == null || label.isTextual() || label.isIntegralNumber())
                && (value == null || value.isNumber());
        return new Entry(index, idText, label == null ? null : label.asText(), value == null || !value.isNumber()
                ? null : value.doubleValue(), readable ? null : "unreadable");
    }

    /**
     * Checks labels read from anywhere (a call's JSON, rows of a CSV file): each is accepted or counted by reason.
     *
     * @param where how an error names an entry's place: {@code labels} ({@code labels[3]}) or {@code row}
     */
    public static FeedbackBatch check(List<Entry> entries, String where) {
        List<Feedback> accepted = new ArrayList<>(entries.size());
        Map<String, Long> rejected = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>(entries.size() * 2);
        for (Entry entry : entries) {
            String reason = null;
            String problem = null;
            Feedback feedback = null;
            if (entry.id() == null || entry.id().isEmpty() || entry.id().length() > MAX_ID_LENGTH
                    || !storable(entry.id())) {
                reason = "invalid_id";
                problem = "'id' must be a string or an integer of 1 to " + MAX_ID_LENGTH + " characters (valid"
                        + " Unicode, no NUL)";
            } else if (entry.problem() == null && entry.label() != null && entry.value() == null
                    && !entry.label().isEmpty() && storable(entry.label())) {
                feedback = new Feedback(entry.id(), entry.label(), Double.NaN);
            } else if (entry.problem() == null && entry.value() != null && entry.label() == null
                    && Double.isFinite(entry.value())) {
                feedback = new Feedback(entry.id(), null, entry.value());
            } else {
                reason = "invalid_label";
                problem = "give exactly one of 'label' (a class, as a string of valid Unicode) and 'value' (a finite"
                        + " number)";
            }
            if (feedback != null) {
                Integer first = seen.putIfAbsent(entry.id(), entry.index());
                if (first != null) {
                    reason = "duplicate_id";
                    problem = "id '" + entry.id() + "' is also at " + where + "[" + first + "], which stands";
                }
            }
            if (reason != null) {
                rejected.merge(reason, 1L, Long::sum);
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(where + "[" + entry.index() + "]: " + problem);
                }
            } else {
                accepted.add(feedback);
            }
        }
        return new FeedbackBatch(accepted, rejected, errors);
    }

    /** Whether the text can be stored and read back: no NUL, no unpaired surrogate ({@link FieldLimits}). */
    private static boolean storable(String text) {
        try {
            FieldLimits.checkCharacters("label", text);
            return true;
        } catch (CapstanException e) {
            return false;
        }
    }
}
