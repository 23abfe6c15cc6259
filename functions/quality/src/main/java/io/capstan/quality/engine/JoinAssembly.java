package io.capstan.quality.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.quality.Task;
import io.capstan.quality.metrics.LabelledClassification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a {@link Joined} from what either engine returns for {@link JoinSql#summary} and
 * {@link JoinSql#LABELLED_ROWS}, and applies the rules that need the rows: {@code repeated_prediction_id},
 * {@code unknown_label}, {@code invalid_label} and {@code prediction_without_output}. Used by both engines, so that they differ only in how the SQL runs.
 */
final class JoinAssembly {
    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> ISSUE_ORDER = List.of("repeated_prediction_id", "duplicate_id",
            "conflicting_label", "unknown_id", "unknown_label", "invalid_label", "prediction_without_output");

    private final Map<String, Long> predicted = new TreeMap<>(VERSION_ORDER);
    private final TreeSet<String> classes = new TreeSet<>();
    private final Map<String, Long> issues = new HashMap<>();
    private boolean classifier;
    private boolean regressor;
    private Map<String, Integer> classIndex;
    private final Map<String, VersionRows> rows = new HashMap<>();

    /** Versions as numbers where they are, then by name (MLflow's versions are numbers). */
    static final Comparator<String> VERSION_ORDER = Comparator.<String, Long>comparing(JoinAssembly::number,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Comparator.naturalOrder());

    /** One row of {@link JoinSql#LABELLED_ROWS}; {@code probabilities} is JSON text or null. */
    record LabelledRow(String version, String id, long time, String label, String probabilities, Double value,
                       String actualLabel, Double actualValue, long received, long rank) {
    }

    /** Reads one row of {@link JoinSql#summary}. */
    void summary(String kind, String name, long n, long labels, long values, String text) {
        switch (kind) {
            case "version" -> {
                predicted.put(name, n);
                classifier |= labels > 0;
                regressor |= values > 0;
                if (text != null) {
                    classes.addAll(keys(text)); // a version's records all carry its classes
                }
            }
            case "label" -> {
                if (name != null) {
                    classes.add(name);
                }
            }
            case "issue" -> count(name, n);
            default -> throw new IllegalStateException("unexpected summary row kind " + kind);
        }
    }

    /** The task, known once every summary row is read. */
    Task task() {
        return regressor && !classifier ? Task.REGRESSION : Task.CLASSIFICATION;
    }

    /** Reads one labelled row; every summary row must have been read first. */
    void labelled(LabelledRow row) {
        if (row.rank() > 1) {
            count("repeated_prediction_id", 1);
            return;
        }
        VersionRows version = rows.computeIfAbsent(row.version(), v -> new VersionRows());
        if (task() == Task.REGRESSION) {
            if (row.actualValue() == null) {
                count("invalid_label", 1);
                return;
            }
            if (row.value() == null) {
                count("prediction_without_output", 1);
                return;
            }
            version.actual.add(row.actualValue());
            version.predicted.add(row.value());
        } else {
            if (row.actualLabel() == null) {
                count("invalid_label", 1);
                return;
            }
            if (!classes.contains(row.actualLabel())) {
                count("unknown_label", 1);
                return;
            }
            version.classified.add(new LabelledClassification(row.actualLabel(), row.label(),
                    probabilities(row.probabilities())));
        }
        version.delays.add((row.received() - row.time()) / 1000.0);
    }

    Joined joined(String engine) {
        List<JoinedVersion> versions = new ArrayList<>();
        Task task = task();
        for (Map.Entry<String, Long> version : predicted.entrySet()) {
            VersionRows labelled = rows.getOrDefault(version.getKey(), new VersionRows());
            versions.add(new JoinedVersion(version.getKey(), version.getValue(), List.copyOf(labelled.classified),
                    doubles(labelled.actual), doubles(labelled.predicted), doubles(labelled.delays)));
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String issue : ISSUE_ORDER) {
            Long count = issues.get(issue);
            if (count != null && count > 0) {
                ordered.put(issue, count);
            }
        }
        return new Joined(task, task == Task.REGRESSION ? List.of() : List.copyOf(classes), List.copyOf(versions),
                ordered, engine);
    }

    private void count(String issue, long n) {
        issues.merge(issue, n, Long::sum);
    }

    /** A row's probabilities in class order; null when the record had none (a missing class reads as 0). */
    private double[] probabilities(String json) {
        if (json == null) {
            return null;
        }
        if (classIndex == null) {
            classIndex = new HashMap<>();
            for (String name : classes) {
                classIndex.put(name, classIndex.size());
            }
        }
        double[] probabilities = new double[classes.size()];
        boolean any = false;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Integer index = classIndex.get(parser.currentName());
                JsonToken value = parser.nextToken();
                if (value.isStructStart()) {
                    parser.skipChildren();
                } else if (index != null && value.isNumeric()) {
                    probabilities[index] = parser.getDoubleValue();
                    any = true;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a prediction record's probabilities are not a JSON object: " + json, e);
        }
        return any ? probabilities : null;
    }

    private static List<String> keys(String json) {
        List<String> keys = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    keys.add(parser.currentName());
                    parser.nextToken();
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a prediction record's probabilities are not a JSON object: " + json, e);
        }
        return keys;
    }

    private static Long number(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static final class VersionRows {
        final List<LabelledClassification> classified = new ArrayList<>();
        final List<Double> actual = new ArrayList<>();
        final List<Double> predicted = new ArrayList<>();
        final List<Double> delays = new ArrayList<>();
    }
}
