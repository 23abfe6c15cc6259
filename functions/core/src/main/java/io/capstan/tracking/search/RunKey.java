package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.RunInfo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

// What a run-search identifier names, after MLflow's SearchUtils._get_identifier.
sealed interface RunKey {

    record MetricKey(String name) implements RunKey {
    }

    record ParamKey(String name) implements RunKey {
    }

    record TagKey(String name) implements RunKey {
    }

    record AttributeKey(Attribute attribute) implements RunKey {
    }

    record DatasetKey(DatasetField field) implements RunKey {
    }

    enum DatasetField { NAME, DIGEST, CONTEXT }

    // MLflow's RunInfo searchable attributes; lifecycle_stage is not one of them.
    enum Attribute {
        ARTIFACT_URI("artifact_uri", RunInfo::artifactUri),
        END_TIME("end_time", RunInfo::endTime),
        RUN_ID("run_id", RunInfo::runId),
        RUN_NAME("run_name", RunInfo::runName),
        START_TIME("start_time", RunInfo::startTime),
        STATUS("status", info -> info.status().name()),
        USER_ID("user_id", RunInfo::userId);

        private final String key;
        private final Function<RunInfo, Object> reader;

        Attribute(String key, Function<RunInfo, Object> reader) {
            this.key = key;
            this.reader = reader;
        }

        String key() {
            return key;
        }

        boolean numeric() {
            return this == START_TIME || this == END_TIME;
        }

        // A String for text attributes, a Long for numeric ones, null for an unset end time.
        Object read(RunInfo info) {
            return reader.apply(info);
        }
    }

    // Keys accepted in a filter: MLflow's searchable attributes plus its aliases created and run name.
    Map<String, Attribute> FILTER_ATTRIBUTES = attributes(true);

    // Keys accepted in order_by: the same, but without the run name aliases (MLflow's orderable set).
    Map<String, Attribute> ORDER_ATTRIBUTES = attributes(false);

    static RunKey resolve(QualifiedName name, Map<String, Attribute> validAttributes) {
        if (name.entityType() == null) {
            return attribute(name.key(), validAttributes);
        }
        String type = name.entityTypeWithoutBackticks();
        return switch (type) {
            case "metric", "metrics" -> new MetricKey(name.key());
            case "parameter", "parameters", "param", "params" -> new ParamKey(name.key());
            case "tag", "tags" -> new TagKey(name.key());
            case "attribute", "attributes", "attr", "run" -> attribute(name.key(), validAttributes);
            case "dataset", "datasets" -> dataset(name.key());
            default -> throw CapstanException.invalidParameter("Invalid entity type '" + type + "' in '"
                    + name.text() + "'. Valid values are [metric, parameter, tag, attribute, dataset] "
                    + "(also metrics, params, param, tags, attributes, attr, run, datasets)");
        };
    }

    private static RunKey attribute(String key, Map<String, Attribute> validAttributes) {
        Attribute attribute = validAttributes.get(key);
        if (attribute == null) {
            throw CapstanException.invalidParameter("Invalid attribute key '" + key + "' specified. Valid keys are '"
                    + validAttributes.keySet() + "'");
        }
        return new AttributeKey(attribute);
    }

    private static RunKey dataset(String key) {
        return switch (key) {
            case "name", "digest", "context" -> new DatasetKey(DatasetField.valueOf(key.toUpperCase(Locale.ROOT)));
            default -> throw CapstanException.invalidParameter("Invalid dataset key '" + key
                    + "' specified. Valid keys are '[context, digest, name]'");
        };
    }

    private static Map<String, Attribute> attributes(boolean withRunNameAliases) {
        Map<String, Attribute> keys = new LinkedHashMap<>();
        for (Attribute attribute : Attribute.values()) {
            keys.put(attribute.key(), attribute);
        }
        keys.put("created", Attribute.START_TIME);
        keys.put("Created", Attribute.START_TIME);
        if (withRunNameAliases) {
            keys.put("run name", Attribute.RUN_NAME);
            keys.put("Run name", Attribute.RUN_NAME);
            keys.put("Run Name", Attribute.RUN_NAME);
        }
        return Collections.unmodifiableMap(keys);
    }
}
