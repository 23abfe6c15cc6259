package io.capstan.quality.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Classification quality as scikit-learn 1.2 computes it: {@code accuracy_score},
 * {@code precision_recall_fscore_support(labels=classes, zero_division=0)} per class and with
 * {@code average='macro'} and {@code 'weighted'}, {@code confusion_matrix(labels=classes)},
 * {@code log_loss(labels=classes)} (eps = float64 machine epsilon, the 1.2 default {@code 'auto'}),
 * {@code brier_score_loss(pos_label=classes[1])} and {@code calibration_curve(n_bins=10, strategy='uniform')}.
 */
public final class ClassificationMetrics {
    private static final int CALIBRATION_BINS = 10;
    private static final double EPS = Math.ulp(1.0);

    private ClassificationMetrics() {
    }

    /**
     * Measures labelled predictions against a fixed list of classes.
     *
     * @param classes at least two distinct labels: the order of every row's probabilities and of the confusion
     *     matrix; for a binary model the second is the positive class
     * @param rows labelled predictions; empty gives a quality with rows = 0 and NaN figures
     * @return the quality; the probability figures only when every row carries probabilities
     * @throws IllegalArgumentException when a row's actual or predicted label is not one of the classes (the
     *     message names it), when probabilities do not have one entry in [0, 1] per class, or when the classes
     *     are fewer than two or repeat
     */
    public static ClassificationQuality of(List<String> classes, List<LabelledClassification> rows) {
        Map<String, Integer> index = indexOf(classes);
        int k = classes.size();
        int n = rows.size();
        int[] actual = new int[n];
        int[] predicted = new int[n];
        double[][] probabilities = new double[n][];
        long[][] confusion = new long[k][k];
        boolean withProbabilities = n > 0;
        int i = 0;
        for (LabelledClassification row : rows) {
            actual[i] = label(index, row.actual(), "actual", i);
            predicted[i] = label(index, row.predicted(), "predicted", i);
            confusion[actual[i]][predicted[i]]++;
            probabilities[i] = row.hasProbabilities() ? checked(row.probabilities(), k, i) : null;
            withProbabilities &= probabilities[i] != null;
            i++;
        }
        String calibrationOf = k == 2 ? "positive class " + classes.get(1) : "top-label confidence";
        ClassScores[] perClass = perClass(confusion, n);
        Map<String, ClassScores> byClass = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            byClass.put(classes.get(c), perClass[c]);
        }
        long correct = 0;
        for (int c = 0; c < k; c++) {
            correct += confusion[c][c];
        }
        if (!withProbabilities) {
            return new ClassificationQuality(n, classes, (double) correct / n, byClass, average(perClass, n, false),
                    average(perClass, n, true), confusion, OptionalDouble.empty(), OptionalDouble.empty(), List.of(),
                    calibrationOf);
        }
        double[] eventProbability = new double[n];
        boolean[] event = new boolean[n];
        for (int r = 0; r < n; r++) {
            eventProbability[r] = k == 2 ? probabilities[r][1] : Arrays.stream(probabilities[r]).max().orElseThrow();
            event[r] = k == 2 ? actual[r] == 1 : actual[r] == predicted[r];
        }
        return new ClassificationQuality(n, classes, (double) correct / n, byClass, average(perClass, n, false),
                average(perClass, n, true), confusion, OptionalDouble.of(logLoss(actual, probabilities)),
                k == 2 ? OptionalDouble.of(brier(eventProbability, event)) : OptionalDouble.empty(),
                reliability(eventProbability, event), calibrationOf);
    }

    private static Map<String, Integer> indexOf(List<String> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (String c : classes) {
            if (index.put(Objects.requireNonNull(c, "a class is null"), index.size()) != null) {
                throw new IllegalArgumentException("class '" + c + "' appears twice in " + classes
                        + "; list each class once");
            }
        }
        if (index.size() < 2) {
            throw new IllegalArgumentException("classification needs at least two classes, got " + classes);
        }
        return index;
    }

    private static int label(Map<String, Integer> index, String label, String field, int row) {
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException(field + " label '" + label + "' in row " + row
                    + " is not one of the classes " + index.keySet() + "; add it to the classes or drop the row");
        }
        return i;
    }

    private static double[] checked(double[] p, int k, int row) {
        if (p.length != k) {
            throw new IllegalArgumentException("row " + row + " has " + p.length + " probabilities, expected " + k
                    + ", one per class in the order of the classes");
        }
        for (double v : p) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("row " + row + " has probability " + v + ", outside [0, 1]");
            }
        }
        return p;
    }

    private static ClassScores[] perClass(long[][] confusion, int rows) {
        int k = confusion.length;
        ClassScores[] scores = new ClassScores[k];
        for (int c = 0; c < k; c++) {
            long truePositives = confusion[c][c];
            long actualCount = 0;
            long predictedCount = 0;
            for (int j = 0; j < k; j++) {
                actualCount += confusion[c][j];
                predictedCount += confusion[j][c];
            }
            if (rows == 0) {
                scores[c] = new ClassScores(Double.NaN, Double.NaN, Double.NaN, 0);
                continue;
            }
            double precision = predictedCount == 0 ? 0 : (double) truePositives / predictedCount;
            double recall = actualCount == 0 ? 0 : (double) truePositives / actualCount;
            double sum = precision + recall;
            double f1 = sum == 0 ? 0 : 2 * precision * recall / sum;
            scores[c] = new ClassScores(precision, recall, f1, actualCount);
        }
        return scores;
    }

    /** numpy.mean of the per-class scores, or numpy.average weighted by support. */
    private static ClassScores average(ClassScores[] scores, int rows, boolean weighted) {
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        double total = 0;
        for (ClassScores s : scores) {
            double w = weighted ? s.support() : 1;
            precision += s.precision() * w;
            recall += s.recall() * w;
            f1 += s.f1() * w;
            total += w;
        }
        return new ClassScores(precision / total, recall / total, f1 / total, rows);
    }

    private static double logLoss(int[] actual, double[][] probabilities) {
        double loss = 0;
        for (int r = 0; r < actual.length; r++) {
            double sum = 0;
            for (double p : probabilities[r]) {
                sum += clip(p);
            }
            loss -= Math.log(clip(probabilities[r][actual[r]]) / sum);
        }
        return loss / actual.length;
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, EPS), 1 - EPS);
    }

    private static double brier(double[] probability, boolean[] event) {
        double sum = 0;
        for (int r = 0; r < probability.length; r++) {
            double d = (event[r] ? 1 : 0) - probability[r];
            sum += d * d;
        }
        return sum / probability.length;
    }

    /** calibration_curve: bin i holds (edge i, edge i+1], the first also 0 (numpy.searchsorted on inner edges). */
    private static List<CalibrationBin> reliability(double[] probability, boolean[] event) {
        double[] edges = UniformEdges.of(0, 1, CALIBRATION_BINS);
        long[] count = new long[CALIBRATION_BINS];
        double[] predictedSum = new double[CALIBRATION_BINS];
        double[] eventSum = new double[CALIBRATION_BINS];
        for (int r = 0; r < probability.length; r++) {
            int bin = 0;
            while (bin < CALIBRATION_BINS - 1 && edges[bin + 1] < probability[r]) {
                bin++;
            }
            count[bin]++;
            predictedSum[bin] += probability[r];
            eventSum[bin] += event[r] ? 1 : 0;
        }
        List<CalibrationBin> bins = new ArrayList<>();
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            if (count[b] > 0) {
                bins.add(new CalibrationBin(edges[b], edges[b + 1], count[b], predictedSum[b] / count[b],
                        eventSum[b] / count[b]));
            }
        }
        return bins;
    }
}
