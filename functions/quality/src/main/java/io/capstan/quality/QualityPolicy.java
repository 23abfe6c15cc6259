package io.capstan.quality;

import io.capstan.monitoring.PredictionKeys;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a model's quality checks do with a decided A/B test, from the registered model's tags:
 * <ul>
 *   <li>{@code capstan.quality.on_challenger_better}: {@code report} (the default) or {@code promote} — the challenger
 *       becomes the champion (audited, the comparison's evidence in the reason) and the traffic split ends;</li>
 *   <li>{@code capstan.quality.on_challenger_worse}: {@code report} (the default) or {@code end_canary} — the traffic
 *       split ends, the champion serves alone;</li>
 *   <li>{@code capstan.quality.alpha} (0.05) and {@code capstan.quality.minimum_detectable_effect} (0.02);</li>
 *   <li>{@code capstan.quality.retrain_below_accuracy} (a classifier) or {@code capstan.quality.retrain_above_error}
 *       (a regressor's mean absolute error): when the window's figure over every labelled prediction crosses it,
 *       with at least {@code capstan.quality.min_labelled} (100) labels, the retraining pipeline starts on the model's
 *       newest dataset, at most once per {@code capstan.quality.retrain_cooldown_hours} (24; the cool-down is the
 *       one drift-triggered retraining claims too);</li>
 *   <li>{@code capstan.quality.record_inputs}: {@code false} (the default) or {@code true} — the predict function
 *       adds each row's inputs to its prediction record (read there; checked here so that a wrong value shows in
 *       the report).</li>
 * </ul>
 * Scheduled and on-demand checks act alike; a check that compares versions other than the model's champion and
 * challenger aliases only reports.
 *
 * @param promoteBetter whether a better challenger is promoted
 * @param endWorse      whether the canary of a worse challenger is ended
 */
public record QualityPolicy(boolean promoteBetter, boolean endWorse, double alpha, double minimumDetectableEffect,
                            OptionalDouble retrainBelowAccuracy, OptionalDouble retrainAboveError,
                            Duration retrainCooldown, long minLabelled) {
    public static final String PREFIX = "capstan.quality.";
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(24);
    public static final long DEFAULT_MIN_LABELLED = 100;
    public static final QualityPolicy REPORT_ONLY = new QualityPolicy(false, false, 0.05, 0.02, OptionalDouble.empty(),
            OptionalDouble.empty(), DEFAULT_COOLDOWN, DEFAULT_MIN_LABELLED);

    /**
     * The policy the tags give; a tag with a value it does not know is refused.
     *
     * @throws IllegalArgumentException naming the tag and the values it takes
     */
    public static QualityPolicy fromTags(Map<String, String> tags) {
        String recordInputs = tags.getOrDefault(PredictionKeys.RECORD_INPUTS_TAG, "false").trim();
        if (!recordInputs.equalsIgnoreCase("true") && !recordInputs.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("tag " + PredictionKeys.RECORD_INPUTS_TAG + " is '" + recordInputs
                    + "'; it takes 'true' or 'false'");
        }
        OptionalDouble below = tags.containsKey(PREFIX + "retrain_below_accuracy")
                ? OptionalDouble.of(share(tags, "retrain_below_accuracy", 0)) : OptionalDouble.empty();
        OptionalDouble above = tags.containsKey(PREFIX + "retrain_above_error")
                ? OptionalDouble.of(positive(tags, "retrain_above_error", 0)) : OptionalDouble.empty();
        double cooldownHours = positive(tags, "retrain_cooldown_hours", DEFAULT_COOLDOWN.toHours());
        double minLabelled = positive(tags, "min_labelled", DEFAULT_MIN_LABELLED);
        return new QualityPolicy(
                choice(tags, "on_challenger_better", "promote"),
                choice(tags, "on_challenger_worse", "end_canary"),
                share(tags, "alpha", REPORT_ONLY.alpha()),
                share(tags, "minimum_detectable_effect", REPORT_ONLY.minimumDetectableEffect()),
                below, above, Duration.ofMillis(Math.round(cooldownHours * 3_600_000)), Math.round(minLabelled));
    }

    private static double positive(Map<String, String> tags, String name, double fallback) {
        return number(tags, name, fallback, 0, Double.POSITIVE_INFINITY, "a number above 0");
    }

    private static boolean choice(Map<String, String> tags, String name, String act) {
        String value = tags.getOrDefault(PREFIX + name, "report").trim().toLowerCase(Locale.ROOT);
        if (!value.equals("report") && !value.equals(act)) {
            throw new IllegalArgumentException("tag " + PREFIX + name + " is '" + value + "'; it takes 'report' or '"
                    + act + "'");
        }
        return value.equals(act);
    }

    private static double share(Map<String, String> tags, String name, double fallback) {
        return number(tags, name, fallback, 0, 1, "a number between 0 and 1");
    }

    /** The tag's number, strictly between {@code above} and {@code below}; {@code fallback} when it is not set. */
    private static double number(Map<String, String> tags, String name, double fallback, double above, double below,
                                 String expected) {
        String value = tags.get(PREFIX + name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed > above && parsed < below) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("tag " + PREFIX + name + " is '" + value + "'; it takes " + expected);
    }
}
