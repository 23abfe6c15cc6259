package io.capstan.tracking;

import io.capstan.tracking.search.PageToken;
import io.capstan.tracking.search.RunIndex;
import io.capstan.tracking.search.RunOrder.MetricOrder;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The scans a runs/search reads for one experiment and lifecycle stage when a store's index has its order: by start
 * time, the index the filter narrows to; by a metric, the runs with a number in value order, then the runs whose value
 * is NaN, then the runs without the metric, both newest first (MLflow puts NaN and missing values last whatever the
 * direction, then orders by start time). A page token's position picks where to start.
 */
final class RunSearch {

    private RunSearch() {
    }

    static Iterator<Run> byStartTime(RunStore runs, String experimentId, LifecycleStage stage, RunIndex index,
                                     boolean ascending, PageToken.After after, int firstRead) {
        return runs.scan(new RunScan(experimentId, stage, index, ascending, after == null ? OptionalLong.empty()
                : OptionalLong.of(after.startTime()), firstRead));
    }

    static Iterator<Run> byMetric(RunStore runs, String experimentId, LifecycleStage stage, MetricOrder order,
                                  PageToken.After after, int firstRead) {
        // 0: the cursor is among the runs with a number, 1: with NaN, 2: without the metric
        int phase = after == null ? 0 : after.metric() == null ? 2 : after.metric().isNaN() ? 1 : 0;
        OptionalLong newestFrom = after == null ? OptionalLong.empty() : OptionalLong.of(after.startTime());
        Supplier<Iterator<Run>> numbers = () -> runs.scanByMetric(new MetricScan(experimentId, stage, order.key(),
                order.ascending(), after == null ? Optional.empty() : Optional.of(after.metric()), firstRead));
        Supplier<Iterator<Run>> nans = () -> runs.scan(new RunScan(experimentId, stage,
                new RunIndex.WithNaNMetric(order.key()), false, phase == 1 ? newestFrom : OptionalLong.empty(),
                firstRead));
        Supplier<Iterator<Run>> missing = () -> filtered(runs.scan(new RunScan(experimentId, stage, RunIndex.ALL,
                false, phase == 2 ? newestFrom : OptionalLong.empty(), firstRead)),
                run -> run.metric(order.key()).isEmpty());
        return concat(List.of(numbers, nans, missing).subList(phase, 3));
    }

    /** A run with only the sort keys of {@code after}: where the page before ended. */
    static Run cursor(PageToken.After after, Optional<MetricOrder> byMetric) {
        RunInfo info = new RunInfo(after.runId(), "", "", "", RunStatus.RUNNING, after.startTime(), null, "",
                LifecycleStage.ACTIVE);
        List<Metric> metrics = byMetric.isPresent() && after.metric() != null
                ? List.of(new Metric(byMetric.get().key(), after.metric(), 0, 0)) : List.of();
        return new Run(info, metrics, Map.of(), Map.of(), List.of(), List.of(), List.of());
    }

    /** The token of the page after {@code run}. */
    static String token(Run run, Optional<MetricOrder> byMetric) {
        if (byMetric.isEmpty()) {
            return PageToken.encodeAfter(run.info().startTime(), run.info().runId());
        }
        return PageToken.encodeAfter(run.info().startTime(), run.info().runId(),
                run.metric(byMetric.get().key()).map(Metric::value).orElse(null));
    }

    private static Iterator<Run> filtered(Iterator<Run> runs, Predicate<Run> keep) {
        return new Iterator<>() {
            private Run next;

            @Override
            public boolean hasNext() {
                while (next == null && runs.hasNext()) {
                    Run run = runs.next();
                    if (keep.test(run)) {
                        next = run;
                    }
                }
                return next != null;
            }

            @Override
            public Run next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Run run = next;
                next = null;
                return run;
            }
        };
    }

    /** The parts one after another, each opened only when the one before is used up. */
    private static Iterator<Run> concat(List<Supplier<Iterator<Run>>> parts) {
        return new Iterator<>() {
            private int part = -1;
            private Iterator<Run> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && part + 1 < parts.size()) {
                    current = parts.get(++part).get();
                }
                return current.hasNext();
            }

            @Override
            public Run next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
