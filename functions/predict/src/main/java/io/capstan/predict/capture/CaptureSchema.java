package io.capstan.predict.capture;

import io.capstan.model.ModelCard;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureKind;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.PredictionColumns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The columns a version's traffic is captured in: the card's features in the card's order (the order the scored rows
 * arrive in), as numeric or categorical as the reference profile says (numeric when it does not), then one column per
 * class probability the reference profile has a prediction for, so that prediction drift can be checked. A regressor's
 * traffic is captured as its features only.
 *
 * @param specs             the streaming profile's schema: features, then captured predictions
 * @param featureCount      the leading feature columns
 * @param probabilityLabels for each captured prediction column, the label position in the model's output
 * @param ignored           reference prediction columns that are not class probabilities of this model (not captured)
 */
record CaptureSchema(List<FeatureSpec> specs, int featureCount, int[] probabilityLabels, List<String> ignored) {

    static CaptureSchema of(ModelCard card, Optional<DatasetProfile> reference) {
        List<FeatureSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String feature : card.features()) {
            FeatureKind kind = reference.flatMap(p -> p.features().stream().filter(f -> f.name().equals(feature))
                    .map(FeatureProfile::kind).findFirst()).orElse(FeatureKind.NUMERIC);
            specs.add(new FeatureSpec(feature, kind));
            names.add(feature);
        }
        List<Integer> labels = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (FeatureProfile prediction : reference.map(DatasetProfile::predictions).orElse(List.of())) {
            if (card.task() == ModelCard.Task.REGRESSION) {
                // a regressor has no class probabilities; its predictions are not captured
                ignored.add(prediction.name());
                continue;
            }
            int label = PredictionColumns.probabilityLabel(prediction.name()).map(card.outputLabels()::indexOf)
                    .orElse(-1);
            if (label < 0 || prediction.kind() != FeatureKind.NUMERIC || !names.add(prediction.name())) {
                ignored.add(prediction.name());
                continue;
            }
            specs.add(FeatureSpec.numeric(prediction.name()));
            labels.add(label);
        }
        return new CaptureSchema(List.copyOf(specs), card.features().size(),
                labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(ignored));
    }

    /** Values per captured row: the features, then the captured probabilities. */
    int width() {
        return specs.size();
    }
}
