package io.capstan.drift.monitoring;

import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftMethod;
import io.capstan.error.CapstanException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A model's drift policy, read from its registered-model tags (so it is set with MLflow's {@code set_registered_model_tag}
 * and needs no redeploy). Every tag is optional:
 *
 * <table>
 *   <caption>tags</caption>
 *   <tr><th>tag</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #WINDOW_HOURS}</td><td>1</td><td>hours of captured traffic a scheduled check compares</td></tr>
 *   <tr><td>{@value #MIN_ROWS}</td><td>100</td><td>fewer captured rows than this: the check is skipped</td></tr>
 *   <tr><td>{@value #DRIFT_SHARE}</td><td>0.5</td><td>share of drifted features that is dataset drift</td></tr>
 *   <tr><td>{@value #NUMERIC_METHOD}, {@value #CATEGORICAL_METHOD}</td><td>Evidently's choice</td><td>the
 *       deciding test for every numeric or categorical column ({@code ks}, {@code wasserstein}, {@code psi},
 *       {@code jensenshannon}, {@code chisquare}, {@code z})</td></tr>
 *   <tr><td>{@value #METHOD_PREFIX}{@code <column>}</td><td></td><td>the deciding test of one column</td></tr>
 *   <tr><td>{@value #THRESHOLD_PREFIX}{@code <method>}</td><td>0.05 (p-value), 0.1 (distance)</td><td>a
 *       method's threshold</td></tr>
 *   <tr><td>{@value #COLUMN_THRESHOLD_PREFIX}{@code <column>}</td><td></td><td>one column's threshold</td></tr>
 *   <tr><td>{@value #RETRAIN}</td><td>false</td><td>{@code true}: dataset drift starts retraining</td></tr>
 *   <tr><td>{@value #COOLDOWN_HOURS}</td><td>24</td><td>at most one drift-triggered retraining per this many
 *       hours</td></tr>
 * </table>
 *
 * @param config     how the tests are chosen and judged
 * @param window     how much captured traffic a check compares
 * @param minRows    the fewest captured rows a traffic check runs on
 * @param retrain    whether dataset drift starts retraining
 * @param cooldown   the least time between two drift-triggered retrainings
 */
public record DriftSettings(DriftConfig config, Duration window, long minRows, boolean retrain, Duration cooldown) {
    public static final String PREFIX = "capstan.drift.";
    public static final String WINDOW_HOURS = PREFIX + "window_hours";
    public static final String MIN_ROWS = PREFIX + "min_rows";
    public static final String DRIFT_SHARE = PREFIX + "drift_share";
    public static final String NUMERIC_METHOD = PREFIX + "numeric_method";
    public static final String CATEGORICAL_METHOD = PREFIX + "categorical_method";
    public static final String METHOD_PREFIX = PREFIX + "method.";
    public static final String THRESHOLD_PREFIX = PREFIX + "threshold.";
    public static final String COLUMN_THRESHOLD_PREFIX = PREFIX + "column_threshold.";
    public static final String RETRAIN = PREFIX + "retrain";
    public static final String COOLDOWN_HOURS = PREFIX + "cooldown_hours";

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final long DEFAULT_MIN_ROWS = 100;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(24);
    /** The longest window a check may read: 31 days of hourly folders. */
    public static final Duration MAX_WINDOW = Duration.ofDays(31);

    public DriftSettings {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(cooldown, "cooldown");
    }

    /**
     * The settings the model's tags give.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the tag whose value is wrong
     */
    public static DriftSettings fromTags(Map<String, String> tags) {
        DriftConfig.Builder config = DriftConfig.builder();
        Duration window = DEFAULT_WINDOW;
        long minRows = DEFAULT_MIN_ROWS;
        boolean retrain = false;
        Duration cooldown = DEFAULT_COOLDOWN;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            String value = tag.getValue().trim();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            try {
                if (key.equals(WINDOW_HOURS)) {
                    window = hours(value, MAX_WINDOW);
                } else if (key.equals(MIN_ROWS)) {
                    minRows = Long.parseLong(value);
                    if (minRows < 1) {
                        throw new IllegalArgumentException("must be at least 1");
                    }
                } else if (key.equals(DRIFT_SHARE)) {
                    double share = Double.parseDouble(value);
                    if (!(share > 0 && share <= 1)) {
                        throw new IllegalArgumentException("must be a share above 0 and at most 1");
                    }
                    config.driftShare(share);
                } else if (key.equals(NUMERIC_METHOD)) {
                    config.numericMethod(DriftMethod.fromWireName(value));
                } else if (key.equals(CATEGORICAL_METHOD)) {
                    config.categoricalMethod(DriftMethod.fromWireName(value));
                } else if (key.startsWith(METHOD_PREFIX)) {
                    config.columnMethod(key.substring(METHOD_PREFIX.length()), DriftMethod.fromWireName(value));
                } else if (key.startsWith(THRESHOLD_PREFIX)) {
                    config.threshold(DriftMethod.fromWireName(key.substring(THRESHOLD_PREFIX.length())),
                            threshold(value));
                } else if (key.startsWith(COLUMN_THRESHOLD_PREFIX)) {
                    config.columnThreshold(key.substring(COLUMN_THRESHOLD_PREFIX.length()), threshold(value));
                } else if (key.equals(RETRAIN)) {
                    retrain = bool(value);
                } else if (key.equals(COOLDOWN_HOURS)) {
                    cooldown = hours(value, Duration.ofDays(365));
                }
            } catch (NumberFormatException e) {
                throw CapstanException.invalidParameter("Model tag '" + key + "' has value '" + tag.getValue()
                        + "', which is not a number.");
            } catch (IllegalArgumentException e) {
                throw CapstanException.invalidParameter("Model tag '" + key + "' has value '" + tag.getValue()
                        + "': " + e.getMessage());
            }
        }
        return new DriftSettings(config.build(), window, minRows, retrain, cooldown);
    }

    /** These settings with another window (a request's {@code window_hours}). */
    public DriftSettings withWindow(Duration newWindow) {
        return new DriftSettings(config, newWindow, minRows, retrain, cooldown);
    }

    /** A positive number of hours, at most {@code max}. */
    public static Duration hours(String value, Duration max) {
        double hours = Double.parseDouble(value);
        if (!(hours > 0) || hours * 3600 > max.toSeconds()) {
            throw new IllegalArgumentException("must be a number of hours above 0 and at most " + max.toHours());
        }
        return Duration.ofSeconds(Math.round(hours * 3600));
    }

    private static double threshold(String value) {
        double threshold = Double.parseDouble(value);
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("must be a finite threshold of at least 0");
        }
        return threshold;
    }

    private static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }
}
