package io.capstan.trainer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * A model's class probabilities for some rows, one column per label in the model's output order (the order of the
 * exported graph's output and the card's {@code output_labels}). Models that score rather than give probabilities
 * (hinge loss, LibLinear's SVM solvers) go through a softmax, as the exported graph does.
 *
 * @param labels the labels in output order
 * @param rows   one probability row per example
 */
record ClassProbabilities(List<String> labels, double[][] rows) {

    ClassProbabilities {
        labels = List.copyOf(labels);
    }

    static List<String> outputLabels(Model<Label> model) {
        List<String> labels = new ArrayList<>(model.getOutputIDInfo().size());
        for (int id = 0; id < model.getOutputIDInfo().size(); id++) {
            labels.add(model.getOutputIDInfo().getOutput(id).getLabel());
        }
        return labels;
    }

    static ClassProbabilities predict(Model<Label> model, List<Example<Label>> examples) {
        List<String> labels = outputLabels(model);
        List<Prediction<Label>> predictions = model.predict(examples);
        double[][] rows = new double[predictions.size()][];
        for (int i = 0; i < rows.length; i++) {
            Map<String, Label> scores = predictions.get(i).getOutputScores();
            double[] row = new double[labels.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = scores.get(labels.get(j)).getScore();
            }
            rows[i] = model.generatesProbabilities() ? row : softmax(row);
        }
        return new ClassProbabilities(labels, rows);
    }

    /** The position of the most probable label in each row (the first one on a tie). */
    int predicted(int row) {
        double[] probabilities = rows[row];
        int best = 0;
        for (int j = 1; j < probabilities.length; j++) {
            if (probabilities[j] > probabilities[best]) {
                best = j;
            }
        }
        return best;
    }

    static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double sum = 0;
        double[] exponentials = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            exponentials[i] = Math.exp(scores[i] - max);
            sum += exponentials[i];
        }
        for (int i = 0; i < scores.length; i++) {
            exponentials[i] /= sum;
        }
        return exponentials;
    }
}
