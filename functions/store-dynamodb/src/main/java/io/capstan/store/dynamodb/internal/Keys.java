package io.capstan.store.dynamodb.internal;

/**
 * Key values of the single-table layout (docs/STORAGE.md). Experiment ids are zero-padded in sort keys so
 * experiments list in numeric order.
 */
public final class Keys {
    public static final String PK = "pk";
    public static final String SK = "sk";

    public static final String EXPERIMENTS_PK = "EXPERIMENTS";
    public static final String COUNTER_PK = "COUNTER";
    public static final String EXPERIMENT_COUNTER_SK = "EXPERIMENT";
    public static final String NAME_SK = "NAME";
    public static final String RUN_POINTER_SK = "RUN";

    private Keys() {
    }

    public static String experimentSk(String experimentId) {
        return "EXP#" + "0".repeat(Math.max(0, 19 - experimentId.length())) + experimentId;
    }

    public static String experimentNamePk(String name) {
        return "EXPNAME#" + name;
    }

    /** Partition of an experiment's run summaries and logged models. */
    public static String experimentRunsPk(String experimentId) {
        return "EXP#" + experimentId;
    }

    public static String runSummarySk(String runId) {
        return "RUN#" + runId;
    }

    /** Partition of one run's metric history segments and its pointer item. */
    public static String runPk(String runId) {
        return "RUN#" + runId;
    }

    public static String metricPrefix(String key) {
        return "M#" + key + "#";
    }

    /** Sort-key prefix of logged model items, in their experiment's partition ({@link #experimentRunsPk}). */
    public static final String LOGGED_MODEL_PREFIX = "LM#";
    public static final String LOGGED_MODEL_POINTER_SK = "MODEL";
    public static final String LOGGED_MODEL_METRICS_PREFIX = "M#";

    public static String loggedModelSk(String modelId) {
        return LOGGED_MODEL_PREFIX + modelId;
    }

    /** Partition of one logged model's pointer item and its metric segments. */
    public static String loggedModelPk(String modelId) {
        return LOGGED_MODEL_PREFIX + modelId;
    }

    /** Partition of every registered model item. */
    public static final String MODELS_PK = "MODELS";

    public static String modelNamePk(String name) {
        return "MODELNAME#" + name;
    }

    public static String modelSk(String modelId) {
        return "MODEL#" + modelId;
    }

    /** Partition of one registered model's versions and audit trail. */
    public static String modelPk(String modelId) {
        return "MODEL#" + modelId;
    }

    public static final String VERSION_PREFIX = "V#";
    public static final String AUDIT_PREFIX = "AUDIT#";

    /** Zero-padded so versions sort numerically. */
    public static String versionSk(long version) {
        return VERSION_PREFIX + String.format("%019d", version);
    }

    /** Sorted by time; the random suffix keeps events of the same millisecond apart. */
    public static String auditSk(long timestamp, String unique) {
        return AUDIT_PREFIX + String.format("%013d", timestamp) + "#" + unique;
    }
}
