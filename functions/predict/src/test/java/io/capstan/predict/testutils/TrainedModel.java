package io.capstan.predict.testutils;

import io.capstan.model.ModelCard;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;

/**
 * A Tribuo model trained on a test data set and exported to ONNX, with its model card and the rows it was trained on.
 *
 * @param card       the card: features in Tribuo's feature order (sorted by name), labels in its output order
 * @param onnx       the exported ONNX model
 * @param csvColumns the feature columns in the CSV's order, which differs from the card's
 * @param rows       every row, z-scored and rounded to float, in CSV column order
 * @param tribuo     the Tribuo model itself, for parity checks
 */
public record TrainedModel(ModelCard card, byte[] onnx, List<String> csvColumns, float[][] rows,
                           LinearSGDModel tribuo) {

    public String sha256() {
        return Hashes.sha256(onnx);
    }

    /** Row {@code row} in the card's column order. */
    public float[] rowInCardOrder(int row) {
        float[] ordered = new float[csvColumns.size()];
        for (int i = 0; i < csvColumns.size(); i++) {
            ordered[card.featureIndex(csvColumns.get(i))] = rows[row][i];
        }
        return ordered;
    }

    /** The same model with its rows cycled to {@code count} rows (at least one), for batches larger than the data. */
    public TrainedModel cycledTo(int count) {
        float[][] cycled = new float[Math.max(count, 1)][];
        for (int r = 0; r < cycled.length; r++) {
            cycled[r] = rows[r % rows.length];
        }
        return new TrainedModel(card, onnx, csvColumns, cycled, tribuo);
    }

    /** Tribuo's own prediction for a row. */
    public Prediction<Label> tribuoPrediction(int row) {
        double[] values = new double[csvColumns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows[row][i];
        }
        Example<Label> example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, csvColumns.toArray(String[]::new),
                values);
        return tribuo.predict(example);
    }
}
