package io.capstan.quality;

import java.util.Locale;
import java.util.Map;

/**
 * What a model's quality checks do with a decided A/B test, from the registered model's tags:
 * <ul>
 *   <li>{@code capstan.quality.on_challenger_better}: {@code report} (the default) or {@code promote} — the challenger
 *       becomes the champion (audited, the comparison's evidence in the reason) and the traffic split ends;</li>
 *   <li>{@code capstan.quality.on_challenger_worse}: {@code report} (the default) or {@code end_canary} — the traffic
 *       split ends, the champion serves alone;</li>
 *   <li>{@code capstan.quality.alpha} (0.05) and {@code capstan.quality.minimum_detectable_effect} (0.02).</li>
 * </ul>
 * Scheduled and on-demand checks act alike; a check that compares versions other than the model's champion and
 * challenger aliases only reports.
 *
 * @param promoteBetter whether a better challenger is promoted
 * @param endWorse      whether the canary of a worse challenger is ended
 */
public record QualityPolicy(boolean promoteBetter, boolean endWorse, double alpha, double minimumDetectableEffect) {
    public static final String PREFIX = "capstan.quality.";
    public static final QualityPolicy REPORT_ONLY = new QualityPolicy(false, false, 0.05, 0.02);

    /**
     * The policy the tags give; a tag with a value it does not know is refused.
     *
     * @throws IllegalArgumentException naming the tag and the values it takes
     */
    public static QualityPolicy fromTags(Map<String, String> tags) {
        return new QualityPolicy(
                choice(tags, "on_challenger_better", "promote"),
                choice(tags, "on_challenger_worse", "end_canary"),
                share(tags, "alpha", REPORT_ONLY.alpha()),
                share(tags, "minimum_detectable_effect", REPORT_ONLY.minimumDetectableEffect()));
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
        String value = tags.get(PREFIX + name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed > 0 && parsed < 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("tag " + PREFIX + name + " is '" + value + "'; it takes a number between"
                + " 0 and 1");
    }
}
