package io.capstan.tracking;

import io.capstan.tracking.search.RunIndex;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a search reads from a {@link RunStore}: the runs of one experiment in one lifecycle stage that belong to
 * {@code index}, in start-time order, from a start time on.
 *
 * @param experimentId whose runs
 * @param stage        active or deleted runs
 * @param index        which runs; a store may return runs outside it (the search checks each)
 * @param ascending    oldest first; otherwise newest first
 * @param from         the first start time to read (inclusive, in the scan's direction); empty from the start
 * @param firstRead    how many runs the search expects to need (its page and one more): a store reads that many
 *                     first, then more as the search asks for them
 */
public record RunScan(String experimentId, LifecycleStage stage, RunIndex index, boolean ascending,
                      OptionalLong from, int firstRead) {
    public RunScan {
        if (firstRead < 1) {
            throw new IllegalArgumentException("firstRead must be at least 1, got " + firstRead);
        }
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(from, "from");
    }

    /** Whether a run that started at {@code startTime} lies at or past {@link #from()}. */
    public boolean reached(long startTime) {
        return from.isEmpty() || (ascending ? startTime >= from.getAsLong() : startTime <= from.getAsLong());
    }
}
