package io.capstan.tracking;

import java.util.Locale;

/** MLflow's soft-delete state of an experiment or run. */
public enum LifecycleStage {
    ACTIVE, DELETED;

    /** MLflow's wire form: {@code active} or {@code deleted}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LifecycleStage fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
