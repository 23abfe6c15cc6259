package io.capstan.trainer.internal;

import io.capstan.profile.DatasetProfile;
import io.capstan.profile.PredictionColumns;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;

/**
 * {@code profile.json}, the reference the drift check compares a model's traffic with: the training rows' features
 * (numeric, in the model's input order, under the card's names) and labels, and the model's class probabilities on the
 * held-out rows, one {@code probability:<label>} column per class in output order.
 *
 * <p>Values are profiled as the served model sees them: rounded to float, the ONNX input and output type. Traffic
 * arrives as floats, so a reference kept in double precision would put every tied decimal value (0.1 in the CSV, the
 * float nearest 0.1 in traffic) on two sides of a step and could show drift where there is none.
 *
 * <p>Predictions come from the holdout rather than the training rows because traffic is unseen by the model, as the
 * holdout is: on the rows it was fitted on, a model is more confident than on new rows from the same distribution, so a
 * reference of in-sample probabilities would make unchanged traffic look like prediction drift.
 */
final class ReferenceProfile {

    private ReferenceProfile() {
    }

    static DatasetProfile of(LabelledRows train, String labelColumn, ClassProbabilities holdout) {
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        for (int feature = 0; feature < train.featureNames().size(); feature++) {
            double[] column = new double[train.size()];
            for (int row = 0; row < column.length; row++) {
                column[row] = (float) train.features().get(row)[feature];
            }
            builder.numeric(train.featureNames().get(feature), column);
        }
        builder.categoricalLabel(labelColumn, train.labels().toArray(String[]::new));
        builder.predictionsOnOtherRows();
        for (int label = 0; label < holdout.labels().size(); label++) {
            double[] column = new double[holdout.rows().length];
            for (int row = 0; row < column.length; row++) {
                column[row] = (float) holdout.rows()[row][label];
            }
            builder.numericPrediction(PredictionColumns.probability(holdout.labels().get(label)), column);
        }
        return builder.build();
    }
}
