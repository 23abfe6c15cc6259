package io.capstan.quality.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * What a join reads and measures: the predictions {@code model} made in {@code [from, to)} are measured; those made
 * from {@code lookback} on are read, so that a label for an id predicted shortly before the window is not counted as
 * unknown; feedback received up to {@code now} is read.
 *
 * @param model    the registered model
 * @param lookback where the records read start (one window length before {@code from})
 * @param from     the window's start, inclusive
 * @param to       the window's end, exclusive
 * @param now      the check's time: feedback received up to it is read
 */
public record JoinWindow(String model, Instant lookback, Instant from, Instant to, Instant now) {
    public JoinWindow {
        Objects.requireNonNull(model, "model");
        if (lookback.isAfter(from) || from.isAfter(to) || to.isAfter(now)) {
            throw new IllegalArgumentException("a join window needs lookback <= from <= to <= now, got " + lookback
                    + ", " + from + ", " + to + ", " + now);
        }
    }
}
