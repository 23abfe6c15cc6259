package io.capstan.trainer.internal;

import io.capstan.error.CapstanException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The training and validation rows of a job. Validation rows come from the {@code validation} channel when it
 * exists, or else are held out of the training rows: per class, a seeded shuffle picks
 * {@code round(validation_fraction x class rows)} rows (none from a class with a single row).
 *
 * @param train            the rows the model is fitted on
 * @param validation       the held-out rows
 * @param validationSource {@code channel} or {@code split}
 * @param source           every row read from the train channel, for its files, digest and row count
 */
public record TrainingData(LabelledRows train, LabelledRows validation, String validationSource,
                           LabelledRows source) {

    public TrainingData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(validationSource, "validationSource");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Reads the channels and checks that the data can train a classifier.
     *
     * @throws CapstanException with {@code INVALID_PARAMETER_VALUE} for missing or unusable data
     */
    public static TrainingData load(Path trainChannel, Path validationChannel, HyperParameters hyperParameters) {
        LabelledRows all = new CsvChannel("train", trainChannel)
                .read(hyperParameters.labelColumn(), hyperParameters.featureColumns());
        CsvChannel validationFiles = new CsvChannel("validation", validationChannel);
        TrainingData data;
        if (validationFiles.exists()) {
            LabelledRows validation = validationFiles.read(hyperParameters.labelColumn(), all.featureNames());
            data = new TrainingData(all, validation, "channel", all);
        } else {
            data = split(all, hyperParameters.validationFraction(), hyperParameters.seed());
        }
        data.check(hyperParameters.labelColumn());
        return data;
    }

    static TrainingData split(LabelledRows all, double fraction, long seed) {
        Map<String, List<Integer>> positionsByLabel = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            positionsByLabel.computeIfAbsent(all.labels().get(i), label -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        List<Integer> validation = new ArrayList<>();
        for (List<Integer> positions : positionsByLabel.values()) {
            Collections.shuffle(positions, random);
            // a class keeps at least one training row
            int count = Math.min((int) Math.round(fraction * positions.size()), positions.size() - 1);
            validation.addAll(positions.subList(0, count));
        }
        Collections.sort(validation);
        Set<Integer> heldOut = Set.copyOf(validation);
        List<Integer> train = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!heldOut.contains(i)) {
                train.add(i);
            }
        }
        if (validation.isEmpty()) {
            throw CapstanException.invalidParameter("validation_fraction " + fraction + " of " + all.size()
                    + " training rows holds out no row; add a validation channel, more rows or a larger fraction");
        }
        return new TrainingData(all.select(train), all.select(validation), "split", all);
    }

    private void check(String labelColumn) {
        Map<String, Integer> classes = train.labelCounts();
        if (classes.size() < 2) {
            throw CapstanException.invalidParameter("the training data has a single class, '"
                    + classes.keySet().iterator().next() + "' in column '" + labelColumn + "'; a classifier needs at least two");
        }
        for (String label : validation.labelCounts().keySet()) {
            if (!classes.containsKey(label)) {
                throw CapstanException.invalidParameter("the validation data has class '" + label
                        + "', which no training row has; training classes are " + classes.keySet());
            }
        }
    }
}
