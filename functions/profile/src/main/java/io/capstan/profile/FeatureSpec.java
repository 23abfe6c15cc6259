package io.capstan.profile;

import java.util.Objects;

/**
 * One column of the rows a {@link StreamingProfile} is fed: its name and kind, in the order the predict function
 * holds its features.
 *
 * @param name column name, not blank
 * @param kind numeric or categorical; a categorical column arrives as a numeric code, see
 *     {@link StreamingProfile#categoryKey(float)}
 */
public record FeatureSpec(String name, FeatureKind kind) {
    public FeatureSpec {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) {
            throw new InvalidProfileException("Feature name is blank: give every column a name.");
        }
    }

    public static FeatureSpec numeric(String name) {
        return new FeatureSpec(name, FeatureKind.NUMERIC);
    }

    public static FeatureSpec categorical(String name) {
        return new FeatureSpec(name, FeatureKind.CATEGORICAL);
    }
}
