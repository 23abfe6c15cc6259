package io.capstan.trainer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How well probabilities predict the true classes. Log loss clips probabilities to [1e-15, 1 - 1e-15], as
 * scikit-learn does; precision, recall and F1 are 0 where their denominator is 0.
 *
 * @param accuracy share of rows whose most probable label is the true one
 * @param logLoss  mean negative log probability of the true label
 * @param macroF1  unweighted mean of the per-class F1
 * @param classes  per class, in output label order
 */
record ClassificationMetrics(double accuracy, double logLoss, double macroF1, List<ClassMetrics> classes) {

    private static final double CLIP = 1e-15;

    /** One class's figures; {@code support} is its number of true rows. */
    record ClassMetrics(String label, double precision, double recall, double f1, int support) {
    }

    ClassificationMetrics {
        classes = List.copyOf(classes);
    }

    static ClassificationMetrics of(ClassProbabilities probabilities, List<String> truth) {
        List<String> labels = probabilities.labels();
        int classCount = labels.size();
        int[] truePositives = new int[classCount];
        int[] predictedCounts = new int[classCount];
        int[] actualCounts = new int[classCount];
        int correct = 0;
        double logLossSum = 0;
        for (int row = 0; row < truth.size(); row++) {
            int actual = labels.indexOf(truth.get(row));
            int predicted = probabilities.predicted(row);
            predictedCounts[predicted]++;
            if (actual >= 0) {
                actualCounts[actual]++;
            }
            if (predicted == actual) {
                correct++;
                truePositives[actual]++;
            }
            double p = actual >= 0 ? probabilities.rows()[row][actual] : 0;
            logLossSum -= Math.log(Math.min(1 - CLIP, Math.max(CLIP, p)));
        }
        List<ClassMetrics> classes = new ArrayList<>(classCount);
        double f1Sum = 0;
        for (int j = 0; j < classCount; j++) {
            double precision = ratio(truePositives[j], predictedCounts[j]);
            double recall = ratio(truePositives[j], actualCounts[j]);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            f1Sum += f1;
            classes.add(new ClassMetrics(labels.get(j), precision, recall, f1, actualCounts[j]));
        }
        return new ClassificationMetrics((double) correct / truth.size(), logLossSum / truth.size(),
                f1Sum / classCount, classes);
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
