package io.capstan.profile;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a column holds numbers (compared through quantiles) or categories (compared through frequencies). */
public enum FeatureKind {
    NUMERIC("numeric"),
    CATEGORICAL("categorical");

    private final String wireName;

    FeatureKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in {@code profile.json}: {@code numeric} or {@code categorical}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
