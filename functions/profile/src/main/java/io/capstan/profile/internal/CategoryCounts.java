package io.capstan.profile.internal;

import io.capstan.profile.CategoricalFeatureProfile;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A categorical column's counts in a frequent-items sketch: of numeric codes ({@link CategoryAccumulator}, what
 * the predict function captures) or of text ({@link TextCategoryAccumulator}, what a CSV dataset holds).
 */
public sealed interface CategoryCounts permits CategoryAccumulator, TextCategoryAccumulator {
    /** Adds another column's counts of the same kind. */
    void merge(CategoryCounts other);

    CategoricalFeatureProfile toProfile(String name);

    void write(DataOutput out) throws IOException;

    /** The byte that names this kind in the binary form. */
    byte kind();
}
