package io.capstan.quality.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * One prediction of a classifier joined with its ground truth.
 *
 * @param actual the true label; not null
 * @param predicted the label the model predicted; not null
 * @param probabilities the model's probability of each class, in the order of the classes list given to
 *     {@link ClassificationMetrics#of}, each in [0, 1]; {@code null} when the model gave none. Copied on the way
 *     in and out.
 */
public record LabelledClassification(String actual, String predicted, double[] probabilities) {

    public LabelledClassification {
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(predicted, "predicted");
        probabilities = probabilities == null ? null : probabilities.clone();
    }

    /** A row without probabilities. */
    public static LabelledClassification of(String actual, String predicted) {
        return new LabelledClassification(actual, predicted, null);
    }

    @Override
    public double[] probabilities() {
        return probabilities == null ? null : probabilities.clone();
    }

    public boolean hasProbabilities() {
        return probabilities != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledClassification other && actual.equals(other.actual)
                && predicted.equals(other.predicted) && Arrays.equals(probabilities, other.probabilities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(actual, predicted, Arrays.hashCode(probabilities));
    }

    @Override
    public String toString() {
        return "LabelledClassification[actual=" + actual + ", predicted=" + predicted + ", probabilities="
                + Arrays.toString(probabilities) + "]";
    }
}
