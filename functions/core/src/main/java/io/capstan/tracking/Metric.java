package io.capstan.tracking;

import java.util.Comparator;
import java.util.Objects;

/**
 * One metric point. NaN and the infinities are legal values.
 *
 * @param key       metric name
 * @param value     the value
 * @param timestamp epoch milliseconds
 * @param step      training step, 0 when the client sent none
 */
public record Metric(String key, double value, long timestamp, long step) {

    /**
     * MLflow's order for a run's current value: the point with the highest step wins, then the latest
     * timestamp, then the largest value (NaN is taken as the largest, as in {@link Double#compare}).
     */
    public static final Comparator<Metric> LATEST_ORDER = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestamp)
            .thenComparing(Metric::value, Double::compare);

    public Metric {
        Objects.requireNonNull(key, "key");
    }

    /**
     * The point as MLflow's SQL store keeps it: ±Infinity becomes ±{@link Double#MAX_VALUE} (the largest value its
     * column holds); NaN and finite values are kept.
     */
    public static Metric finiteOrExtreme(Metric point) {
        if (!Double.isInfinite(point.value)) {
            return point;
        }
        return new Metric(point.key, point.value > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE, point.timestamp,
                point.step);
    }

    /** Whether this point replaces {@code current} as the run's current value of the metric. */
    public boolean supersedes(Metric current) {
        return current == null || LATEST_ORDER.compare(this, current) > 0;
    }
}
