package io.capstan.tracking.search;

import io.capstan.tracking.LoggedModel;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

// The columns of MLflow's logged_models table that search_logged_models filters and orders by, read from a model
// as the SQL store sees them: the two timestamps are numbers; status and experiment_id are integers that SQLite
// compares with a quoted or bare literal as text ('1' and 1 both match), so they read as their digits; the status
// message is never set (NULL), so no comparison matches it.
enum LoggedModelAttribute {
    MODEL_ID("model_id", LoggedModel::modelId),
    EXPERIMENT_ID("experiment_id", LoggedModel::experimentId),
    NAME("name", LoggedModel::name),
    ARTIFACT_LOCATION("artifact_location", LoggedModel::artifactLocation),
    CREATION_TIMESTAMP("creation_timestamp_ms", LoggedModel::creationTimestamp),
    LAST_UPDATED_TIMESTAMP("last_updated_timestamp_ms", LoggedModel::lastUpdatedTimestamp),
    STATUS("status", model -> Integer.toString(model.status().number())),
    LIFECYCLE_STAGE("lifecycle_stage", model -> model.lifecycleStage().wireName()),
    MODEL_TYPE("model_type", LoggedModel::modelType),
    SOURCE_RUN_ID("source_run_id", LoggedModel::sourceRunId),
    STATUS_MESSAGE("status_message", model -> null);

    // SqlLoggedModel.ALIASES
    private static final Map<String, String> ALIASES = Map.of("creation_time", "creation_timestamp_ms",
            "creation_timestamp", "creation_timestamp_ms", "last_updated_timestamp", "last_updated_timestamp_ms");

    private final String column;
    private final Function<LoggedModel, Object> reader;

    LoggedModelAttribute(String column, Function<LoggedModel, Object> reader) {
        this.column = column;
        this.reader = reader;
    }

    String column() {
        return column;
    }

    boolean numeric() {
        return this == CREATION_TIMESTAMP || this == LAST_UPDATED_TIMESTAMP;
    }

    // A Long for the timestamps, a String for the rest, null for the status message.
    Object read(LoggedModel model) {
        return reader.apply(model);
    }

    // The value ORDER BY sorts on: numbers for the integer columns, text for the others.
    Comparable<?> sortKey(LoggedModel model) {
        Object value = read(model);
        if (value == null || numeric()) {
            return (Long) value;
        }
        if (this == EXPERIMENT_ID || this == STATUS) {
            try {
                return Long.parseLong((String) value);
            } catch (NumberFormatException e) {
                return (String) value;
            }
        }
        return (String) value;
    }

    static Optional<LoggedModelAttribute> of(String name) {
        String column = ALIASES.getOrDefault(name, name);
        return Arrays.stream(values()).filter(a -> a.column.equals(column)).findFirst();
    }

    static String columns() {
        return Arrays.stream(values()).map(LoggedModelAttribute::column).toList().toString();
    }
}
