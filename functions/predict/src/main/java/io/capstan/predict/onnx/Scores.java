package io.capstan.predict.onnx;

/**
 * A tabular model's output for a batch in the card's terms: per row, one probability per label in the card's label
 * order, and the predicted label. A regressor's scores hold no labels (its values are in the raw outputs).
 *
 * @param rows          rows scored
 * @param labels        labels per row; 0 for a regressor
 * @param probabilities row-major {@code [rows, labels]}; owned by this value, not copied
 * @param chosen        per row, the position of the label the model's label output answered; null when the model has
 *                      no label output and the label is the most probable one
 */
public record Scores(int rows, int labels, float[] probabilities, int[] chosen) {
    public Scores {
        if (probabilities.length != rows * labels) {
            throw new IllegalArgumentException("expected " + rows * labels + " probabilities, got "
                    + probabilities.length);
        }
        if (chosen != null && chosen.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " chosen labels, got " + chosen.length);
        }
    }

    /** Scores whose label is the most probable one. */
    public Scores(int rows, int labels, float[] probabilities) {
        this(rows, labels, probabilities, null);
    }

    /** The scores of a regressor: rows, no labels. */
    static Scores regression(int rows) {
        return new Scores(rows, 0, new float[0], null);
    }

    public float probability(int row, int label) {
        return probabilities[row * labels + label];
    }

    /** The position of the row's predicted label: the label output's, or else the most probable (the first on a tie). */
    public int predicted(int row) {
        if (chosen != null) {
            return chosen[row];
        }
        int base = row * labels;
        int best = 0;
        for (int i = 1; i < labels; i++) {
            if (probabilities[base + i] > probabilities[base + best]) {
                best = i;
            }
        }
        return best;
    }
}
