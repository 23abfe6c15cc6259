package io.capstan.tracking.search;

import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import java.util.List;
import java.util.Objects;

/**
 * A set of an experiment's runs that a store may keep in start-time order, so that a search can read the runs it
 * returns instead of the whole experiment: every run, the runs with one status, or the runs with one value of a
 * param, of a tag or of the run name. A search names the indexes its filter narrows to with {@code =}
 * ({@link RunFilter#index()}) and still applies the whole filter to each run it reads, so a store may read any
 * superset: one that keeps only some of these indexes (say, a param's values once a search has asked for them) reads
 * another.
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

    /** The runs whose tag {@code key} is {@code value}. */
    record WithTag(String key, String value) implements RunIndex {
        public WithTag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean contains(Run run) {
            return value.equals(run.tags().get(key));
        }
    }

    /** The runs named {@code name}. */
    record WithRunName(String name) implements RunIndex {
        public WithRunName {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public boolean contains(Run run) {
            return name.equals(run.info().runName());
        }
    }

    /**
     * The runs in every one of {@code indexes} (at least two, none of them an {@code Every}), most selective first:
     * a store reads the first it keeps.
     */
    record Every(List<RunIndex> indexes) implements RunIndex {
        public Every {
            indexes = List.copyOf(indexes);
            if (indexes.size() < 2 || indexes.stream().anyMatch(Every.class::isInstance)) {
                throw new IllegalArgumentException("Every needs two or more plain indexes, got " + indexes);
            }
        }

        @Override
        public boolean contains(Run run) {
            return indexes.stream().allMatch(index -> index.contains(run));
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

    /** The indexes a store reads instead of this one, most selective first: this, or the parts of an {@link Every}. */
    default List<RunIndex> candidates() {
        return this instanceof Every every ? every.indexes() : List.of(this);
    }
}
