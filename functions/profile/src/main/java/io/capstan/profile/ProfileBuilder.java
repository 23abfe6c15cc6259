package io.capstan.profile;

import io.capstan.profile.internal.ColumnProfiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the {@link DatasetProfile} of a dataset held as columns: {@code double[]} per numeric column (NaN is
 * missing), {@code String[]} per categorical column (null or empty is missing). All columns must have the same
 * length. Not thread-safe; one builder per profile.
 *
 * <pre>{@code
 * DatasetProfile profile = ProfileBuilder.create(SketchParameters.defaults())
 *         .numeric("radius", radius).categorical("site", site)
 *         .categoricalLabel("diagnosis", labels)
 *         .numericPrediction("p_malignant", probabilities)
 *         .build();
 * }</pre>
 */
public final class ProfileBuilder {
    private final SketchParameters params;
    private final List<FeatureProfile> features = new ArrayList<>();
    private final List<FeatureProfile> predictions = new ArrayList<>();
    private FeatureProfile label;
    private long rowCount = -1;
    private boolean predictionsOnOtherRows;
    private long predictionRowCount = -1;

    private ProfileBuilder(SketchParameters params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    public static ProfileBuilder create(SketchParameters params) {
        return new ProfileBuilder(params);
    }

    /** Adds an input column of numbers. */
    public ProfileBuilder numeric(String name, double[] values) {
        features.add(ColumnProfiler.numeric(name, checkLength(name, values), params));
        return this;
    }

    /** Adds an input column of categories. */
    public ProfileBuilder categorical(String name, String[] values) {
        checkLength(name, values.length);
        features.add(ColumnProfiler.categorical(name, values));
        return this;
    }

    /** Sets the label to a numeric (regression) column. */
    public ProfileBuilder numericLabel(String name, double[] values) {
        label = ColumnProfiler.numeric(name, checkLength(name, values), params);
        return this;
    }

    /** Sets the label to a categorical (classification) column. */
    public ProfileBuilder categoricalLabel(String name, String[] values) {
        checkLength(name, values.length);
        label = ColumnProfiler.categorical(name, values);
        return this;
    }

    /**
     * Lets the prediction columns have rows of their own: the model's predictions on a holdout sample, say, which is
     * what unseen traffic looks like to a model, while the features describe the rows it was fitted on. Prediction
     * columns must then agree in length with each other instead of with the features; {@code row_count} stays the
     * features' and each prediction profile's {@code count} and {@code missing} say how many rows it has.
     */
    public ProfileBuilder predictionsOnOtherRows() {
        if (!predictions.isEmpty()) {
            throw new InvalidProfileException("Call predictionsOnOtherRows() before adding prediction columns.");
        }
        predictionsOnOtherRows = true;
        return this;
    }

    /**
     * Adds a numeric model output, such as a class probability or a regression estimate, on the feature rows (or on
     * rows of its own after {@link #predictionsOnOtherRows()}).
     */
    public ProfileBuilder numericPrediction(String name, double[] values) {
        checkPredictionLength(name, values.length);
        predictions.add(ColumnProfiler.numeric(name, values, params));
        return this;
    }

    /** Adds a categorical model output, the predicted label, on the same rows as {@link #numericPrediction}. */
    public ProfileBuilder categoricalPrediction(String name, String[] values) {
        checkPredictionLength(name, values.length);
        predictions.add(ColumnProfiler.categorical(name, values));
        return this;
    }

    /**
     * The profile.
     *
     * @throws InvalidProfileException with no column, or with two columns of one name
     */
    public DatasetProfile build() {
        if (rowCount < 0) {
            throw new InvalidProfileException("No column was added: a profile needs at least one column.");
        }
        return new DatasetProfile(DatasetProfile.FORMAT_VERSION, rowCount, features, label, predictions);
    }

    private double[] checkLength(String name, double[] values) {
        checkLength(name, values.length);
        return values;
    }

    private void checkPredictionLength(String name, int length) {
        if (!predictionsOnOtherRows) {
            checkLength(name, length);
            return;
        }
        if (predictionRowCount >= 0 && length != predictionRowCount) {
            throw new InvalidProfileException("Prediction column '" + name + "' has " + length + " rows; earlier"
                    + " prediction columns have " + predictionRowCount + ". Give every prediction the same rows.");
        }
        predictionRowCount = length;
    }

    private void checkLength(String name, int length) {
        if (rowCount >= 0 && length != rowCount) {
            throw new InvalidProfileException("Column '" + name + "' has " + length + " rows; earlier columns have "
                    + rowCount + ". Give every column the same rows.");
        }
        rowCount = length;
    }
}
