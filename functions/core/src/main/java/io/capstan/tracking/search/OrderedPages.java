package io.capstan.tracking.search;

import io.capstan.tracking.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A page of a runs/search read from scans that each yield runs in the search's order up to ties (one scan per
 * experiment and lifecycle stage, in the order of an index): runs that compare equal under {@code groups} (the
 * order_by entries without the tie-breakers: a start time, a metric value) may come in any order. The scans are
 * merged, runs up to the page's position and runs the search does not match are skipped, and reading stops once the
 * page is full and the rest of its last group is in, which is then sorted by the search's full order. The token of
 * the next page names the page's last run, so pages stay stable while runs are added.
 */
public final class OrderedPages {

    private OrderedPages() {
    }

    /**
     * @param scans   runs in {@code groups} order; a run may come more than once
     * @param groups  the order of the scans
     * @param order   the search's order: {@code groups}, then the tie-breakers
     * @param matches what the search selects (lifecycle and filter)
     * @param max     the page size, 1 or more
     * @param skip    matching runs to skip first (an offset token's)
     * @param after   the last run of the page before (only its sort keys are read); null for none
     * @param tokenOf the token naming a run as the last of a page
     */
    public static Page<Run> page(List<Iterator<Run>> scans, Comparator<Run> groups, Comparator<Run> order,
                                 Predicate<Run> matches, int max, int skip, Run after,
                                 Function<Run, String> tokenOf) {
        Iterator<Run> runs = merge(scans, groups);
        long wanted = (long) skip + max + 1;
        List<Run> read = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Run boundary = null;
        while (runs.hasNext()) {
            Run run = runs.next();
            if (boundary != null && groups.compare(run, boundary) != 0) {
                break;
            }
            if ((after != null && order.compare(run, after) <= 0) || !matches.test(run)
                    || !seen.add(run.info().runId())) {
                continue;
            }
            read.add(run);
            if (boundary == null && read.size() >= wanted) {
                boundary = run;
            }
        }
        read.sort(order);
        int from = Math.min(skip, read.size());
        int to = (int) Math.min((long) skip + max, read.size());
        List<Run> items = List.copyOf(read.subList(from, to));
        if (read.size() <= to || items.isEmpty()) {
            return new Page<>(items, null);
        }
        return new Page<>(items, tokenOf.apply(items.get(items.size() - 1)));
    }

    /** One iterator of the scans' runs in {@code groups} order. */
    private static Iterator<Run> merge(List<Iterator<Run>> scans, Comparator<Run> groups) {
        if (scans.size() == 1) {
            return scans.get(0);
        }
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> groups.compare(a.run, b.run));
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
