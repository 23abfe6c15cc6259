package io.capstan.drift;

import java.util.List;

/**
 * The two distributions of a column side by side, for a chart: bins (numeric: 30 equal-width bins over the
 * combined range, labelled by their left edge; categorical: the categories, most frequent reference ones first,
 * at most 30) with the share of each sample in them.
 *
 * @param labels bin or category names
 * @param reference reference shares, one per label
 * @param current current shares, one per label
 */
public record Overlay(List<String> labels, List<Double> reference, List<Double> current) {
    public Overlay {
        labels = List.copyOf(labels);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        if (reference.size() != labels.size() || current.size() != labels.size()) {
            throw new IllegalArgumentException("overlay needs one share per label in each sample");
        }
    }

    public static Overlay empty() {
        return new Overlay(List.of(), List.of(), List.of());
    }
}
