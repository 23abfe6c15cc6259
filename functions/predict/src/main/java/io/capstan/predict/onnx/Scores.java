package io.capstan.predict.onnx;

/**
 * A classifier's output for a batch: per row, one probability per label in the card's label order.
 *
 * @param rows          rows scored
 * @param labels        labels per row
 * @param probabilities row-major {@code [rows, labels]}; owned by this value, not copied
 */
public record Scores(int rows, int labels, float[] probabilities) {
    public Scores {
        if (probabilities.length != rows * labels) {
            throw new IllegalArgumentException("expected " + rows * labels + " probabilities, got "
                    + probabilities.length);
        }
    }

    public float probability(int row, int label) {
        return probabilities[row * labels + label];
    }

    /** The position of the row's most probable label; the first on a tie. */
    public int predicted(int row) {
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
