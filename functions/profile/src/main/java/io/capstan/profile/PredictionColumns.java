package io.capstan.profile;

import java.util.Optional;

/**
 * How a classifier's outputs are named among a profile's {@link DatasetProfile#predictions() predictions}, so that the
 * trainer that writes the reference profile and the predict function that captures traffic agree without knowing each
 * other: one numeric column per class, {@code probability:<label>}, holding the model's probability of that class (the
 * same header the trainer's {@code validation-predictions.csv} uses).
 */
public final class PredictionColumns {
    /** The prefix of a class-probability column; the class label follows it. */
    public static final String PROBABILITY_PREFIX = "probability:";

    private PredictionColumns() {
    }

    /** The column holding the probability of {@code label}. */
    public static String probability(String label) {
        if (label == null || label.isEmpty()) {
            throw new InvalidProfileException("A class label is empty: name every class.");
        }
        return PROBABILITY_PREFIX + label;
    }

    /** The class a column holds the probability of; empty when the column is not a class probability. */
    public static Optional<String> probabilityLabel(String column) {
        return column.startsWith(PROBABILITY_PREFIX) && column.length() > PROBABILITY_PREFIX.length()
                ? Optional.of(column.substring(PROBABILITY_PREFIX.length())) : Optional.empty();
    }
}
