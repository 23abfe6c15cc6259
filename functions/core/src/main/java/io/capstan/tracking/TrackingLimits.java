package io.capstan.tracking;

import io.capstan.error.CapstanException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow 2.12's input rules ({@code mlflow/utils/validation.py}): names, lengths and batch sizes. Each check
 * throws {@code INVALID_PARAMETER_VALUE} naming the field and the value.
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

    private static final Pattern NAME = Pattern.compile("^[/\\w.\\- ]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RUN_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,255}$");
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
            throw CapstanException.invalidParameter("Invalid " + kind + " name: '" + key + "'. " + BAD_CHARACTERS);
        }
        if (resolvesElsewhere(key)) {
            throw CapstanException.invalidParameter("Invalid " + kind + " name: '" + key + "'. Names may be treated"
                    + " as files in certain cases, and must not resolve to other names when treated as such.");
        }
        checkLength(capitalize(kind) + " key", key, MAX_ENTITY_KEY_LENGTH);
    }

    /** A param value as MLflow's server stores it: cut to {@value #MAX_PARAM_VAL_LENGTH} characters. */
    public static String paramValue(String key, String value) {
        if (value == null) {
            throw CapstanException.invalidParameter("Param value for key '" + key + "' must be a string, got null.");
        }
        return value.length() <= MAX_PARAM_VAL_LENGTH ? value : value.substring(0, MAX_PARAM_VAL_LENGTH);
    }

    /**
     * A run tag value as MLflow's server stores it: cut to {@value #MAX_TAG_VAL_LENGTH} characters (MLflow 3's limit;
     * MLflow 2.12's server cut at 5000).
     */
    public static String runTagValue(String key, String value) {
        if (value == null) {
            throw CapstanException.invalidParameter("Tag value for key '" + key + "' must be a string, got null.");
        }
        return value.length() <= MAX_TAG_VAL_LENGTH ? value : value.substring(0, MAX_TAG_VAL_LENGTH);
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
            throw CapstanException.invalidParameter("Invalid run ID: '" + runId + "'");
        }
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
        if (value.length() > limit) {
            throw CapstanException.invalidParameter(what + " '" + abbreviate(value) + "' had length "
                    + value.length() + ", which exceeded length limit of " + limit);
        }
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
