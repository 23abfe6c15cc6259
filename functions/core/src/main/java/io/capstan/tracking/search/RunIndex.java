package io.capstan.tracking.search;

import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import java.util.Objects;

/**
 * A set of an experiment's runs that a store keeps in start-time order, so that a search can read the runs it
 * returns instead of the whole experiment: every run, the runs with one status, or the runs with one value of a param
 * or of a user tag ({@code mlflow.*} system tags are not indexed: {@link #indexedTag}). A search reads the most
 * selective index its filter names with {@code =} ({@link RunFilter#index()}) and still applies the whole filter to
 * each run it reads, so a store may return a superset.
 */
public sealed interface RunIndex {

    /** Whether {@code run} belongs to this index. */
    boolean contains(Run run);

    /** Every run of the experiment. */
    record AllRuns() implements RunIndex {
        @Override
        public boolean contains(Run run) {
            return true;
        }
    }

    /** The runs with {@code status}. */
    record WithStatus(RunStatus status) implements RunIndex {
        public WithStatus {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public boolean contains(Run run) {
            return run.info().status() == status;
        }
    }

    /** The runs that logged param {@code key} with {@code value}. */
    record WithParam(String key, String value) implements RunIndex {
        public WithParam {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean contains(Run run) {
            return value.equals(run.params().get(key));
        }
    }

    /** The runs whose user tag {@code key} is {@code value}. */
    record WithTag(String key, String value) implements RunIndex {
        public WithTag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (!indexedTag(key)) {
                throw new IllegalArgumentException("system tags are not indexed: " + key);
            }
        }

        @Override
        public boolean contains(Run run) {
            return value.equals(run.tags().get(key));
        }
    }

    /**
     * The runs whose latest value of metric {@code key} is NaN, which every metric order puts after the runs with a
     * number (runs with a number are read from a store's metric index, {@link io.capstan.tracking.MetricScan}).
     */
    record WithNaNMetric(String key) implements RunIndex {
        public WithNaNMetric {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public boolean contains(Run run) {
            return run.metric(key).map(metric -> Double.isNaN(metric.value())).orElse(false);
        }
    }

    /** The index of every run. */
    RunIndex ALL = new AllRuns();

    /**
     * Whether tag {@code key} is indexed: user tags are, MLflow's own {@code mlflow.*} tags (user, source, run name,
     * git commit: set on every run, rarely searched by equality) are not, which keeps a run's creation cheap.
     */
    static boolean indexedTag(String key) {
        return !key.startsWith("mlflow.");
    }
}
