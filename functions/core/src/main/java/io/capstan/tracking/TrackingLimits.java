package io.capstan.tracking;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MLflow's input rules ({@code mlflow/utils/validation.py}, 2.12 and 3.x): names, lengths and batch sizes; where MLflow
 * checks nothing, the size of the column MLflow's SQL store keeps the field in ({@code dbmodels/models.py}), or a
 * Capstan limit that keeps an item within DynamoDB's 400 KB. Each check throws {@code INVALID_PARAMETER_VALUE} naming
 * the field and the limit, before anything is stored.
 */
public final class TrackingLimits {
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_ENTITY_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VAL_LENGTH = 6000;
    public static final int MAX_TAG_VAL_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
    public static final int MAX_RUN_SEARCH_RESULTS = 50_000;
    public static final int MAX_EXPERIMENT_SEARCH_RESULTS = 50_000;
    /** MLflow 3's {@code MAX_EXPERIMENT_NAME_LENGTH}. */
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    /** MLflow 3's {@code MLFLOW_ARTIFACT_LOCATION_MAX_LENGTH} default. */
    public static final int MAX_ARTIFACT_LOCATION_LENGTH = 2048;
    /** A run's name is its {@code mlflow.runName} tag: the run tag limit. */
    public static final int MAX_RUN_NAME_LENGTH = MAX_TAG_VAL_LENGTH;
    /** MLflow's {@code runs.user_id} column, {@code String(256)}. */
    public static final int MAX_USER_ID_LENGTH = 256;
    /** Capstan's: an experiment's tags, keys and values in UTF-8, share its DynamoDB item (400 KB) with the rest. */
    public static final int MAX_EXPERIMENT_TAGS_BYTES = 300_000;
    /** MLflow's {@code MAX_DATASETS_PER_BATCH}: datasets in one log-inputs call. */
    public static final int MAX_DATASETS_PER_BATCH = 1000;
    /** MLflow 3's {@code logged_models.name} and {@code model_type} columns, {@code String(500)}. */
    public static final int MAX_LOGGED_MODEL_NAME_LENGTH = 500;
    /** MLflow 3's {@code logged_models.model_id} column, {@code String(36)} ({@code m-} and 32 hex digits). */
    public static final int MAX_MODEL_ID_LENGTH = 36;
    /** MLflow 3's {@code logged_model_tags.tag_key} and {@code logged_model_params.param_key}, {@code String(255)}. */
    public static final int MAX_LOGGED_MODEL_KEY_LENGTH = 255;
    /** MLflow 3's logged-model tag and param values: a {@code Text} column, 65,535 bytes in MySQL. */
    public static final int MAX_LOGGED_MODEL_VALUE_LENGTH = 65_535;

    private static final Pattern NAME = Pattern.compile("^[/\\w.\\- ]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RUN_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,255}$");
    /** MLflow's {@code _EXPERIMENT_ID_REGEX}. */
    private static final Pattern EXPERIMENT_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,63}$");
    private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-),"
            + " periods (.), spaces ( ), and slashes (/).";

    private TrackingLimits() {
    }

    /** Checks a metric, param or tag key; {@code kind} is "metric", "param" or "tag". */
    public static void checkKey(String kind, String key) {
        if (key == null) {
            throw CapstanException.invalidParameter(capitalize(kind) + " name cannot be None. A key name must be"
                    + " provided.");
        }
        if (!NAME.matcher(key).matches()) {
            throw CapstanException.invalidParameter("Invalid " + kind + " name: '" + FieldLimits.shown(key) + "'. "
                    + BAD_CHARACTERS);
        }
        if (resolvesElsewhere(key)) {
            throw CapstanException.invalidParameter("Invalid " + kind + " name: '" + FieldLimits.shown(key) + "'. Names"
                    + " may be treated as files in certain cases, and must not resolve to other names when treated as"
                    + " such.");
        }
        checkLength(capitalize(kind) + " key", key, MAX_ENTITY_KEY_LENGTH);
    }

    /** A param value as MLflow's server stores it: cut to {@value #MAX_PARAM_VAL_LENGTH} characters. */
    public static String paramValue(String key, String value) {
        if (value == null) {
            throw CapstanException.invalidParameter("Param value for key '" + key + "' must be a string, got null.");
        }
        return cut(value, MAX_PARAM_VAL_LENGTH);
    }

    /**
     * A run tag value as MLflow's server stores it: cut to {@value #MAX_TAG_VAL_LENGTH} characters (MLflow 3's limit;
     * MLflow 2.12's server cut at 5000).
     */
    public static String runTagValue(String key, String value) {
        if (value == null) {
            throw CapstanException.invalidParameter("Tag value for key '" + key + "' must be a string, got null.");
        }
        return cut(value, MAX_TAG_VAL_LENGTH);
    }

    public static void checkTagValue(String key, String value, int limit) {
        if (value == null) {
            throw CapstanException.invalidParameter("Tag value for key '" + key + "' must be a string, got null.");
        }
        checkLength("Tag value", value, limit);
    }

    public static void checkRunId(String runId) {
        if (runId == null || runId.isEmpty()) {
            throw CapstanException.invalidParameter("Missing value for required parameter 'run_id'.");
        }
        if (!RUN_ID.matcher(runId).matches()) {
            throw CapstanException.invalidParameter("Invalid run ID: '" + FieldLimits.shown(runId) + "'");
        }
    }

    /**
     * Checks an experiment id as MLflow's {@code _validate_experiment_id}: a letter or digit, then at most 63 letters,
     * digits, {@code _} or {@code -}.
     */
    public static String checkExperimentId(String experimentId) {
        if (experimentId == null || experimentId.isEmpty()) {
            throw CapstanException.invalidParameter("Missing value for required parameter 'experiment_id'.");
        }
        if (!EXPERIMENT_ID.matcher(experimentId).matches()) {
            throw CapstanException.invalidParameter("Invalid experiment ID: '" + FieldLimits.shown(experimentId)
                    + "'. An experiment ID is a letter or digit followed by at most 63 letters, digits, '_' or '-'.");
        }
        return experimentId;
    }

    /** Checks an experiment name: not empty, at most {@value #MAX_EXPERIMENT_NAME_LENGTH} characters. */
    public static String checkExperimentName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw CapstanException.invalidParameter("Invalid experiment name: '" + name + "'. Experiment name must"
                    + " be a non-empty string.");
        }
        return FieldLimits.checkLength(field, name, MAX_EXPERIMENT_NAME_LENGTH);
    }

    /**
     * Checks the tags an experiment would hold together: at most {@value #MAX_EXPERIMENT_TAGS_BYTES} bytes of keys and
     * values in UTF-8 (a Capstan limit; MLflow has none).
     */
    public static void checkExperimentTagsSize(String experimentId, Map<String, String> tags) {
        long bytes = FieldLimits.utf8Length(tags);
        if (bytes > MAX_EXPERIMENT_TAGS_BYTES) {
            throw CapstanException.invalidParameter("The tags of experiment " + (experimentId == null ? "" : experimentId
                    + " ") + "would take " + bytes + " bytes; an experiment's tags (keys and values in UTF-8) are"
                    + " limited to " + MAX_EXPERIMENT_TAGS_BYTES + " bytes together. Delete tags or shorten values.");
        }
    }

    /** Checks a logged model id (MLflow 3's {@code m-<32 hex>}): at most {@value #MAX_MODEL_ID_LENGTH} characters. */
    public static String checkModelId(String field, String modelId) {
        return FieldLimits.checkLength(field, modelId, MAX_MODEL_ID_LENGTH);
    }

    public static void checkBatchLimits(int metrics, int params, int tags) {
        if (metrics > MAX_METRICS_PER_BATCH) {
            throw tooMany("metrics", metrics, MAX_METRICS_PER_BATCH);
        }
        if (params > MAX_PARAMS_TAGS_PER_BATCH) {
            throw tooMany("params", params, MAX_PARAMS_TAGS_PER_BATCH);
        }
        if (tags > MAX_PARAMS_TAGS_PER_BATCH) {
            throw tooMany("tags", tags, MAX_PARAMS_TAGS_PER_BATCH);
        }
        int total = metrics + params + tags;
        if (total > MAX_ENTITIES_PER_BATCH) {
            throw CapstanException.invalidParameter("A batch logging request can contain at most "
                    + MAX_ENTITIES_PER_BATCH + " metrics, params, and tags in total. Received " + total + ".");
        }
    }

    public static int checkMaxResults(Integer requested, int defaultValue, int maximum) {
        if (requested == null) {
            return defaultValue;
        }
        if (requested < 1 || requested > maximum) {
            throw CapstanException.invalidParameter("Invalid value " + requested + " for parameter 'max_results'"
                    + " supplied. It must be a positive integer at most " + maximum + ".");
        }
        return requested;
    }

    private static void checkLength(String what, String value, int limit) {
        FieldLimits.checkCharacters(what, value);
        if (value.length() > limit && value.codePointCount(0, value.length()) > limit) {
            throw CapstanException.invalidParameter(what + " '" + abbreviate(value) + "' had length "
                    + value.codePointCount(0, value.length()) + ", which exceeded length limit of " + limit);
        }
    }

    /** The first {@code limit} characters (code points, as Python's slice), never half a surrogate pair. */
    private static String cut(String value, int limit) {
        if (value.length() <= limit || value.codePointCount(0, value.length()) <= limit) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, limit));
    }

    private static CapstanException tooMany(String what, int count, int limit) {
        return CapstanException.invalidParameter("A batch logging request can contain at most " + limit + " "
                + what + ". Got " + count + " " + what + ". Please split up " + what + " across multiple requests"
                + " and try again.");
    }

    /** MLflow's path_not_unique: the name must equal its own normalized POSIX path. */
    private static boolean resolvesElsewhere(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            return true;
        }
        List<String> parts = List.of(name.split("/", -1));
        return parts.stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
    }

    private static String abbreviate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
