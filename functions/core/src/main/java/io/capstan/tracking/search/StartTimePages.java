package io.capstan.tracking.search;

import io.capstan.tracking.Run;
import io.capstan.tracking.search.PageToken.After;
import io.capstan.tracking.search.PageToken.Offset;
import io.capstan.tracking.search.PageToken.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A page of a runs/search ordered by start time, read from scans that each yield runs in start-time order (one per
 * experiment and lifecycle stage): the scans are merged, runs before the page's position and runs the search does not
 * match are skipped, and reading stops once the page is full and the runs sharing the last start time are all in
 * (they sort among themselves by run id). The token of the next page names the page's last run, so pages stay
 * stable while runs are added.
 */
public final class StartTimePages {

    private StartTimePages() {
    }

    /**
     * @param scans     runs in start-time order (equal start times in any order); a run may come more than once
     * @param ascending oldest first; otherwise newest first
     * @param matches   what the search selects (lifecycle and filter)
     * @param order     the search's order: start time in that direction, then run id
     * @param max       the page size, 1 or more
     * @param position  where the page starts
     */
    public static Page<Run> page(List<Iterator<Run>> scans, boolean ascending, Predicate<Run> matches,
                                 Comparator<Run> order, int max, Position position) {
        Iterator<Run> runs = merge(scans, ascending);
        int skip = position instanceof Offset offset ? offset.offset() : 0;
        After after = position instanceof After a ? a : null;
        long wanted = (long) skip + max + 1;
        List<Run> read = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean full = false;
        long lastStart = 0;
        while (runs.hasNext()) {
            Run run = runs.next();
            long start = run.info().startTime();
            if (full && start != lastStart) {
                break;
            }
            if ((after != null && !isAfter(run, after, ascending)) || !matches.test(run)
                    || !seen.add(run.info().runId())) {
                continue;
            }
            read.add(run);
            if (!full && read.size() >= wanted) {
                full = true;
                lastStart = start;
            }
        }
        read.sort(order);
        int from = Math.min(skip, read.size());
        int to = (int) Math.min((long) skip + max, read.size());
        List<Run> items = List.copyOf(read.subList(from, to));
        if (read.size() <= to || items.isEmpty()) {
            return new Page<>(items, null);
        }
        Run last = items.get(items.size() - 1);
        return new Page<>(items, PageToken.encodeAfter(last.info().startTime(), last.info().runId()));
    }

    /** Whether {@code run} comes after {@code after} in start-time order, ties broken by run id ascending. */
    static boolean isAfter(Run run, After after, boolean ascending) {
        long start = run.info().startTime();
        if (start != after.startTime()) {
            return ascending ? start > after.startTime() : start < after.startTime();
        }
        return SqlSemantics.compareText(run.info().runId(), after.runId()) > 0;
    }

    private static Iterator<Run> merge(List<Iterator<Run>> scans, boolean ascending) {
        if (scans.size() == 1) {
            return scans.get(0);
        }
        Comparator<Head> byStart = Comparator.comparingLong(head -> head.run.info().startTime());
        PriorityQueue<Head> heads = new PriorityQueue<>(ascending ? byStart : byStart.reversed());
        for (Iterator<Run> scan : scans) {
            if (scan.hasNext()) {
                heads.add(new Head(scan.next(), scan));
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public Run next() {
                Head head = heads.poll();
                if (head == null) {
                    throw new NoSuchElementException();
                }
                if (head.rest.hasNext()) {
                    heads.add(new Head(head.rest.next(), head.rest));
                }
                return head.run;
            }
        };
    }

    private record Head(Run run, Iterator<Run> rest) {
    }
}
