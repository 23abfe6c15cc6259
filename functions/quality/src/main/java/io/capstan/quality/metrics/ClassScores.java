package io.capstan.quality.metrics;

/**
 * Precision, recall and F1 of one class, or their macro or weighted average over the classes.
 *
 * @param precision true positives over predicted positives; 0 when the class was never predicted (scikit-learn's
 *     {@code zero_division=0}); NaN without rows
 * @param recall true positives over actual positives; 0 when the class never occurred; NaN without rows
 * @param f1 harmonic mean of precision and recall, 0 when both are 0; NaN without rows
 * @param support rows whose actual label is the class; for an average, all rows
 */
public record ClassScores(double precision, double recall, double f1, long support) {

    public ClassScores {
        if (support < 0) {
            throw new IllegalArgumentException("support must not be negative, got " + support);
        }
    }
}
