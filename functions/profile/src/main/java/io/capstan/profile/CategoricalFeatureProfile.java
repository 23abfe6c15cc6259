package io.capstan.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A categorical column: how often each category occurs.
 *
 * @param name column name
 * @param count present values
 * @param missing null or empty values
 * @param distinct distinct categories seen; {@code null} where a sketch dropped rare ones
 * @param frequencies count per category, most frequent first; from a sketch, estimates (rare categories may
 *     be absent)
 * @param frequencyError largest error of any count in {@code frequencies}: 0 when exact (with sampling, the sketch's
 *                       error plus {@link Sampling#countError()}, a 99% bound)
 * @param sampling how the categories were sampled ({@link Sampling}), {@code null} when every row was counted
 */
public record CategoricalFeatureProfile(String name, long count, long missing, Long distinct,
        Map<String, Long> frequencies, long frequencyError, Sampling sampling) implements FeatureProfile {

    public CategoricalFeatureProfile {
        Objects.requireNonNull(name, "name");
        if (count < 0 || missing < 0 || frequencyError < 0) {
            throw new InvalidProfileException("Feature '" + name + "' has a negative count.");
        }
        frequencies = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(frequencies,
                "frequencies")));
    }

    /** A profile of every row (no sampling). */
    public CategoricalFeatureProfile(String name, long count, long missing, Long distinct,
                                     Map<String, Long> frequencies, long frequencyError) {
        this(name, count, missing, distinct, frequencies, frequencyError, null);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.CATEGORICAL;
    }
}
