package io.capstan.quality.metrics;

/**
 * One non-empty bin of a reliability curve: the predictions whose probability fell in (lower, upper] (the first
 * bin also holds 0).
 *
 * @param lower lower edge of the bin, a probability
 * @param upper upper edge of the bin, a probability
 * @param count predictions in the bin, at least 1
 * @param meanPredicted mean predicted probability in the bin
 * @param observedFrequency share of the bin's predictions whose event happened (the positive class occurred, or
 *     the top label was right)
 */
public record CalibrationBin(double lower, double upper, long count, double meanPredicted, double observedFrequency) {

    public CalibrationBin {
        if (count < 1) {
            throw new IllegalArgumentException("a calibration bin holds at least one prediction, got " + count);
        }
    }
}
