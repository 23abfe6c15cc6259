package io.capstan.tracking;

import io.capstan.tracking.search.ExperimentOrder;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Where experiments live. Names are unique across active and deleted experiments, as in MLflow.
 * Implementations are safe for concurrent use by many processes.
 */
public interface ExperimentStore {

    /** Allocates the next numeric experiment id; ids are never reused. */
    String nextExperimentId();

    /**
     * Stores a new experiment.
     *
     * @throws io.capstan.error.CapstanException {@code RESOURCE_ALREADY_EXISTS} when the name or id is taken
     */
    void insert(Experiment experiment);

    Optional<Experiment> get(String experimentId);

    Optional<Experiment> getByName(String name);

    /** Every experiment, active and deleted, in ascending id order. */
    List<Experiment> list();

    /**
     * The experiments in {@code stage}, newest first (creation time descending, then id ascending: experiments/search's
     * default order), from the creation time {@code from} on (inclusive; empty from the newest), read lazily: a search
     * stops reading when its page is full. A store may return experiments outside the stage or before {@code from},
     * which the caller skips, but never omit one. This default reads every experiment ({@link #list}).
     *
     * @param firstRead how many experiments the search expects to need (its page and one more)
     */
    default Iterator<Experiment> newestFirst(LifecycleStage stage, OptionalLong from, int firstRead) {
        return list().stream()
                .filter(experiment -> experiment.lifecycleStage() == stage
                        && (from.isEmpty() || experiment.creationTime() <= from.getAsLong()))
                .sorted(ExperimentOrder.parse(List.of()))
                .iterator();
    }

    /**
     * Applies {@code change} to the stored experiment and stores the result; concurrent updates are retried, so
     * none is lost. A changed name is reserved atomically with the update.
     *
     * @return the stored result
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} for an unknown id,
     *                                           {@code RESOURCE_ALREADY_EXISTS} when the new name is taken
     */
    Experiment update(String experimentId, UnaryOperator<Experiment> change);
}
