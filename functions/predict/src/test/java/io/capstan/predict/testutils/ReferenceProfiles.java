package io.capstan.predict.testutils;

import io.capstan.profile.DatasetProfile;
import io.capstan.profile.PredictionColumns;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import java.util.List;

/** Reference profiles ({@code profile.json}) of the test models, shaped as Capstan's trainer writes them. */
public final class ReferenceProfiles {
    private ReferenceProfiles() {
    }

    /**
     * The model's rows as numeric features under the card's names, and a {@code probability:<label>} prediction per
     * given label (the values matter little: the capture takes the columns, not the numbers).
     */
    public static DatasetProfile of(TrainedModel model, List<String> probabilityLabels) {
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        int rows = model.rows().length;
        for (String feature : model.card().features()) {
            int column = model.csvColumns().indexOf(feature);
            double[] values = new double[rows];
            for (int r = 0; r < rows; r++) {
                values[r] = model.rows()[r][column];
            }
            builder.numeric(feature, values);
        }
        builder.predictionsOnOtherRows();
        for (String label : probabilityLabels) {
            builder.numericPrediction(PredictionColumns.probability(label), new double[] {0.25, 0.75});
        }
        return builder.build();
    }
}
