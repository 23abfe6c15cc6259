package io.capstan.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A model's quality alarm: a classifier's {@value #MIN_ACCURACY} or a regressor's {@value #MAX_MEAN_ABSOLUTE_ERROR}
 * (at most one), as a {@code capstan:qualitySchedules} entry gives it. The CDK app makes a CloudWatch alarm of it; the
 * embedded platform evaluates it on each figure ({@code LocalQualityAlarms}).
 */
public record QualityAlarmThreshold(OptionalDouble minAccuracy, OptionalDouble maxMeanAbsoluteError) {
    public static final String MIN_ACCURACY = "min_accuracy";
    public static final String MAX_MEAN_ABSOLUTE_ERROR = "max_mean_absolute_error";

    public QualityAlarmThreshold {
        Objects.requireNonNull(minAccuracy, "minAccuracy");
        Objects.requireNonNull(maxMeanAbsoluteError, "maxMeanAbsoluteError");
    }

    /**
     * The threshold of {@code entry}'s two fields, checked.
     *
     * @param source names the setting in errors (the CDK context key, the system property)
     * @throws IllegalArgumentException naming the source, the model and the field
     */
    public static QualityAlarmThreshold read(JsonNode entry, String source, String model) {
        QualityAlarmThreshold threshold = new QualityAlarmThreshold(number(entry, MIN_ACCURACY, source),
                number(entry, MAX_MEAN_ABSOLUTE_ERROR, source));
        threshold.check(source, model);
        return threshold;
    }

    /** Whether there is an alarm at all. */
    public boolean isPresent() {
        return minAccuracy.isPresent() || maxMeanAbsoluteError.isPresent();
    }

    /**
     * @throws IllegalArgumentException when the accuracy is not in (0, 1], the error not above 0, or both are given
     */
    public void check(String source, String model) {
        if (minAccuracy.isPresent() && !(minAccuracy.getAsDouble() > 0 && minAccuracy.getAsDouble() <= 1)) {
            throw new IllegalArgumentException(source + ": " + MIN_ACCURACY + " of model \"" + model + "\" must be"
                    + " above 0 and at most 1, was " + minAccuracy.getAsDouble());
        }
        if (maxMeanAbsoluteError.isPresent() && !(maxMeanAbsoluteError.getAsDouble() > 0)) {
            throw new IllegalArgumentException(source + ": " + MAX_MEAN_ABSOLUTE_ERROR + " of model \"" + model
                    + "\" must be above 0, was " + maxMeanAbsoluteError.getAsDouble());
        }
        if (minAccuracy.isPresent() && maxMeanAbsoluteError.isPresent()) {
            throw new IllegalArgumentException(source + ": model \"" + model + "\" has both " + MIN_ACCURACY + " and "
                    + MAX_MEAN_ABSOLUTE_ERROR + "; a model is a classifier or a regressor");
        }
    }

    /** An optional number field of a settings entry. */
    public static OptionalDouble number(JsonNode entry, String field, String source) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(source + ": " + field + " must be a number, was " + value);
        }
        return OptionalDouble.of(value.asDouble());
    }
}
