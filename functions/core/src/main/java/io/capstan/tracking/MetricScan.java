package io.capstan.tracking;

import java.util.Objects;
import java.util.Optional;

/**
 * What a search ordered by a metric reads from a {@link RunStore}: the runs of one experiment in one lifecycle stage
 * whose latest value of metric {@code key} is a number (not NaN), in the order of that value, from a value on.
 *
 * @param experimentId whose runs
 * @param stage        active or deleted runs
 * @param key          the metric
 * @param ascending    smallest first; otherwise largest first
 * @param from         the first value to read (inclusive, in the scan's direction); empty from the start
 * @param firstRead    how many runs the search expects to need; a store reads that many first
 */
public record MetricScan(String experimentId, LifecycleStage stage, String key, boolean ascending,
                         Optional<Double> from, int firstRead) {
    public MetricScan {
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(from, "from");
        if (firstRead < 1) {
            throw new IllegalArgumentException("firstRead must be at least 1, got " + firstRead);
        }
    }

    /** The run's latest value of the metric as searches compare it (-0.0 is 0.0), or NaN when it has none or NaN. */
    public double valueOf(Run run) {
        double value = run.metric(key).map(Metric::value).orElse(Double.NaN);
        return value == 0.0 ? 0.0 : value;
    }

    /** Whether {@code value} lies at or past {@link #from()}. */
    public boolean reached(double value) {
        return from.isEmpty() || (ascending ? value >= from.get() : value <= from.get());
    }
}
