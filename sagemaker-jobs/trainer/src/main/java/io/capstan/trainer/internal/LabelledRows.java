package io.capstan.trainer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Rows read from a channel: raw feature values in {@link #featureNames()} order and the class of each row.
 *
 * @param featureNames the feature columns, in model input order
 * @param features     one array per row, raw values as read
 * @param labels       the class of each row
 * @param files        the files read, relative to the channel directory, in reading order
 * @param sha256       hex SHA-256 of the files' bytes, concatenated in reading order
 */
public record LabelledRows(List<String> featureNames, List<double[]> features, List<String> labels,
                           List<String> files, String sha256) {

    public LabelledRows {
        featureNames = List.copyOf(featureNames);
        features = List.copyOf(features);
        labels = List.copyOf(labels);
        files = List.copyOf(files);
        Objects.requireNonNull(sha256, "sha256");
        if (features.size() != labels.size()) {
            throw new IllegalArgumentException(features.size() + " feature rows but " + labels.size() + " labels");
        }
    }

    public int size() {
        return labels.size();
    }

    /** Rows per class, by class name in sorted order. */
    public Map<String, Integer> labelCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        labels.forEach(label -> counts.merge(label, 1, Integer::sum));
        return counts;
    }

    /** The rows at the given positions, in that order; files and digest stay those of the source. */
    LabelledRows select(List<Integer> positions) {
        List<double[]> selectedFeatures = new ArrayList<>(positions.size());
        List<String> selectedLabels = new ArrayList<>(positions.size());
        for (int position : positions) {
            selectedFeatures.add(features.get(position));
            selectedLabels.add(labels.get(position));
        }
        return new LabelledRows(featureNames, selectedFeatures, selectedLabels, files, sha256);
    }
}
