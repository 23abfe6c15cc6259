package io.capstan.quality.engine;

import io.capstan.quality.metrics.LabelledClassification;
import java.util.List;

/**
 * One version's labelled predictions in a window.
 *
 * @param predictions  the version's predictions in the window, labelled or not
 * @param classified   a classifier's labelled rows (actual, predicted, probabilities), by prediction time then id
 * @param actual       a regressor's true values, in the same order as {@code predicted}
 * @param predicted    a regressor's predicted values
 * @param delaySeconds each labelled row's feedback delay (label received minus prediction time)
 */
public record JoinedVersion(String version, long predictions, List<LabelledClassification> classified,
                            double[] actual, double[] predicted, double[] delaySeconds) {
    public long labelled() {
        return delaySeconds.length;
    }
}
