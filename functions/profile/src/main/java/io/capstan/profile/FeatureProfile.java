package io.capstan.profile;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a profile knows about one column. In {@code profile.json} the {@code kind} field says which permit
 * follows: {@code numeric} or {@code categorical}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NumericFeatureProfile.class, name = "numeric"),
    @JsonSubTypes.Type(value = CategoricalFeatureProfile.class, name = "categorical")
})
public sealed interface FeatureProfile permits NumericFeatureProfile, CategoricalFeatureProfile {
    /** Column name. */
    String name();

    /** Number of present (non-missing) values. */
    long count();

    /** Number of missing values (NaN, null or empty). */
    long missing();

    /** Number of distinct present values, or {@code null} where a sketch cannot tell. */
    Long distinct();

    /** Numeric or categorical. */
    FeatureKind kind();
}
