package io.capstan.quality;

import io.capstan.quality.metrics.ClassificationQuality;
import io.capstan.quality.metrics.RegressionQuality;
import java.util.Objects;
import java.util.Optional;

/**
 * The quality of one model version over a report's window.
 *
 * @param version the model version, e.g. {@code "3"}
 * @param predictions predictions the version served in the window
 * @param labelled those of them with ground truth
 * @param labelCoverage labelled over predictions, in [0, 1]; NaN without predictions
 * @param feedbackDelay how long the labels took to arrive
 * @param classification the classification metrics, for a classifier with labels; empty otherwise
 * @param regression the regression metrics, for a regression model with labels; empty otherwise
 */
public record VersionQuality(String version, long predictions, long labelled, double labelCoverage,
        FeedbackDelay feedbackDelay, Optional<ClassificationQuality> classification,
        Optional<RegressionQuality> regression) {

    public VersionQuality {
        Objects.requireNonNull(version, "version");
        if (predictions < 0 || labelled < 0) {
            throw new IllegalArgumentException("version " + version + ": predictions (" + predictions
                    + ") and labelled (" + labelled + ") must not be negative");
        }
        Objects.requireNonNull(feedbackDelay, "feedbackDelay");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(regression, "regression");
        if (classification.isPresent() && regression.isPresent()) {
            throw new IllegalArgumentException("version " + version
                    + " carries both classification and regression metrics; a model has one task");
        }
    }
}
