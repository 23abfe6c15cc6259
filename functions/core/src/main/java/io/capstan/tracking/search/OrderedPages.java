package io.capstan.tracking.search;

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
 * A page of a search read from scans that each yield results in the search's order up to ties (for runs/search one
 * scan per experiment and lifecycle stage, in the order of an index): results that compare equal under
 * {@code groups} (the order_by entries without the tie-breakers: a start time, a metric value) may come in any order.
 * The scans are merged, results up to the page's position and results the search does not match are skipped, and
 * reading stops once the page is full and the rest of its last group is in, which is then sorted by the search's full
 * order. The token of the next page names the page's last result, so pages stay stable while results are added.
 */
public final class OrderedPages {

    private OrderedPages() {
    }

    /**
     * @param scans   results in {@code groups} order; a result may come more than once
     * @param groups  the order of the scans; {@code order} itself when it is total (no two results tie)
     * @param order   the search's order: {@code groups}, then the tie-breakers
     * @param matches what the search selects (lifecycle and filter)
     * @param max     the page size, 1 or more
     * @param skip    matching results to skip first (an offset token's)
     * @param after   the last result of the page before (only its sort keys are read); null for none
     * @param idOf    a result's id (a result read twice is returned once)
     * @param tokenOf the token naming a result as the last of a page
     */
    public static <T> Page<T> page(List<Iterator<T>> scans, Comparator<T> groups, Comparator<T> order,
                                   Predicate<T> matches, int max, int skip, T after, Function<T, String> idOf,
                                   Function<T, String> tokenOf) {
        Iterator<T> runs = merge(scans, groups);
        long wanted = (long) skip + max + 1;
        List<T> read = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        T boundary = null;
        while (runs.hasNext()) {
            T run = runs.next();
            if (boundary != null && groups.compare(run, boundary) != 0) {
                break;
            }
            if ((after != null && order.compare(run, after) <= 0) || !matches.test(run)
                    || !seen.add(idOf.apply(run))) {
                continue;
            }
            read.add(run);
            if (boundary == null && read.size() >= wanted) {
                if (groups == order) {
                    break; // the order is total: no tie of the last result is left to read
                }
                boundary = run;
            }
        }
        read.sort(order);
        int from = Math.min(skip, read.size());
        int to = (int) Math.min((long) skip + max, read.size());
        List<T> items = List.copyOf(read.subList(from, to));
        if (read.size() <= to || items.isEmpty()) {
            return new Page<>(items, null);
        }
        return new Page<>(items, tokenOf.apply(items.get(items.size() - 1)));
    }

    /** One iterator of the scans' results in {@code groups} order. */
    private static <T> Iterator<T> merge(List<Iterator<T>> scans, Comparator<T> groups) {
        if (scans.size() == 1) {
            return scans.get(0);
        }
        PriorityQueue<Head<T>> heads = new PriorityQueue<>((a, b) -> groups.compare(a.result, b.result));
        for (Iterator<T> scan : scans) {
            if (scan.hasNext()) {
                heads.add(new Head<>(scan.next(), scan));
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public T next() {
                Head<T> head = heads.poll();
                if (head == null) {
                    throw new NoSuchElementException();
                }
                if (head.rest.hasNext()) {
                    heads.add(new Head<>(head.rest.next(), head.rest));
                }
                return head.result;
            }
        };
    }

    private record Head<T>(T result, Iterator<T> rest) {
    }
}
