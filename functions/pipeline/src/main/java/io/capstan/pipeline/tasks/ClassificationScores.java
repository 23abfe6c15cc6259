package io.capstan.pipeline.tasks;

import io.capstan.error.CapstanException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Holdout metrics of a classifier: accuracy, log loss (probabilities clipped to [1e-15, 1 − 1e-15], natural log)
 * and macro-averaged F1 (a class with nothing to count scores 0), the definitions the trainer's metrics.json uses.
 *
 * @param accuracy share of rows whose most probable label is the true one
 * @param logLoss  mean negative log probability of the true label
 * @param macroF1  unweighted mean of the per-class F1
 * @param rows     rows scored
 */
public record ClassificationScores(double accuracy, double logLoss, double macroF1, int rows) {
    public static final List<String> METRICS = List.of("accuracy", "log_loss", "macro_f1");

    /** Scores probabilities ({@code [rows][labels]}, labels in {@code labelOrder}) against the true labels. */
    public static ClassificationScores of(float[][] probabilities, List<String> labelOrder, List<String> truth) {
        int n = truth.size();
        int classes = labelOrder.size();
        int correct = 0;
        double loss = 0;
        int[] truePositive = new int[classes];
        int[] predicted = new int[classes];
        int[] actual = new int[classes];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[i][c] > probabilities[i][best]) {
                    best = c;
                }
            }
            int expected = labelOrder.indexOf(truth.get(i));
            predicted[best]++;
            if (expected >= 0) {
                actual[expected]++;
                if (best == expected) {
                    correct++;
                    truePositive[expected]++;
                }
            }
            double p = expected < 0 ? 0 : probabilities[i][expected];
            loss -= Math.log(Math.min(Math.max(p, 1e-15), 1 - 1e-15));
        }
        double f1 = 0;
        for (int c = 0; c < classes; c++) {
            double precision = predicted[c] == 0 ? 0 : (double) truePositive[c] / predicted[c];
            double recall = actual[c] == 0 ? 0 : (double) truePositive[c] / actual[c];
            f1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return new ClassificationScores((double) correct / n, loss / n, f1 / classes, n);
    }

    /** One metric by its name. */
    public double metric(String name) {
        return switch (name) {
            case "accuracy" -> accuracy;
            case "log_loss" -> logLoss;
            case "macro_f1" -> macroF1;
            default -> throw CapstanException.invalidParameter("Unknown gate metric '" + name + "'; one of " + METRICS);
        };
    }

    /** Whether higher values of the metric are better (log loss: lower is better). */
    public static boolean higherIsBetter(String metric) {
        return !metric.equals("log_loss");
    }

    public Map<String, Double> asMap() {
        return Map.of("accuracy", accuracy, "log_loss", logLoss, "macro_f1", macroF1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "accuracy %.4f, log loss %.4f, macro F1 %.4f on %d rows", accuracy, logLoss,
                macroF1, rows);
    }
}
