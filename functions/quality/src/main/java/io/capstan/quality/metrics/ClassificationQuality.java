package io.capstan.quality.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The quality of a classifier over a set of labelled predictions. Without rows every figure is NaN, the
 * confusion matrix is all zeros and the probability figures are empty.
 *
 * @param rows labelled predictions measured
 * @param classes the classes, in the order of the probabilities and of the confusion matrix
 * @param accuracy share of rows whose prediction equals the actual label
 * @param perClass scores of each class, in the order of {@code classes}
 * @param macro unweighted mean of the per-class scores; support = rows
 * @param weighted mean of the per-class scores weighted by support; support = rows
 * @param confusion counts indexed [actual][predicted] in the order of {@code classes}; copied on the way in and out
 * @param logLoss mean cross-entropy (natural log) after clipping probabilities to [eps, 1 - eps], eps the double
 *     machine epsilon, and renormalising each row; empty unless every row carries probabilities
 * @param brier mean squared difference between the positive class's probability and its occurrence; binary only,
 *     empty unless every row carries probabilities
 * @param reliability the non-empty bins of a 10-bin uniform reliability curve; empty unless every row carries
 *     probabilities
 * @param calibrationOf what the reliability curve is of: {@code "positive class <name>"} (binary, the second
 *     class) or {@code "top-label confidence"} (multiclass: the highest probability against whether the
 *     prediction was right)
 */
public record ClassificationQuality(long rows, List<String> classes, double accuracy,
        Map<String, ClassScores> perClass, ClassScores macro, ClassScores weighted, long[][] confusion,
        OptionalDouble logLoss, OptionalDouble brier, List<CalibrationBin> reliability, String calibrationOf) {

    public ClassificationQuality {
        classes = List.copyOf(classes);
        perClass = Collections.unmodifiableMap(new LinkedHashMap<>(perClass));
        Objects.requireNonNull(macro, "macro");
        Objects.requireNonNull(weighted, "weighted");
        confusion = copy(confusion);
        int k = classes.size();
        if (confusion.length != k || Arrays.stream(confusion).anyMatch(row -> row.length != k)) {
            throw new IllegalArgumentException("the confusion matrix must be " + k + " x " + k
                    + ", one row and column per class");
        }
        Objects.requireNonNull(logLoss, "logLoss");
        Objects.requireNonNull(brier, "brier");
        reliability = List.copyOf(reliability);
        Objects.requireNonNull(calibrationOf, "calibrationOf");
    }

    @Override
    public long[][] confusion() {
        return copy(confusion);
    }

    /** Rows whose actual label is {@code actual} and predicted label {@code predicted}. */
    public long confusion(String actual, String predicted) {
        return confusion[index(actual)][index(predicted)];
    }

    public boolean binary() {
        return classes.size() == 2;
    }

    private int index(String label) {
        int i = classes.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("'" + label + "' is not one of the classes " + classes);
        }
        return i;
    }

    private static long[][] copy(long[][] matrix) {
        return Arrays.stream(Objects.requireNonNull(matrix, "confusion")).map(long[]::clone).toArray(long[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationQuality q && rows == q.rows && classes.equals(q.classes)
                && Double.compare(accuracy, q.accuracy) == 0 && perClass.equals(q.perClass) && macro.equals(q.macro)
                && weighted.equals(q.weighted) && Arrays.deepEquals(confusion, q.confusion)
                && logLoss.equals(q.logLoss) && brier.equals(q.brier) && reliability.equals(q.reliability)
                && calibrationOf.equals(q.calibrationOf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, classes, accuracy, perClass, macro, weighted, Arrays.deepHashCode(confusion),
                logLoss, brier, reliability, calibrationOf);
    }

    @Override
    public String toString() {
        return "ClassificationQuality[rows=" + rows + ", classes=" + classes + ", accuracy=" + accuracy + ", perClass="
                + perClass + ", macro=" + macro + ", weighted=" + weighted + ", confusion="
                + Arrays.deepToString(confusion) + ", logLoss=" + logLoss + ", brier=" + brier + ", reliability="
                + reliability + ", calibrationOf=" + calibrationOf + "]";
    }
}
