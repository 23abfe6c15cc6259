package io.capstan.tracking.search;

import static io.capstan.tracking.search.RunFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.tracking.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedPagesTest {
    private static final Comparator<Run> NEWEST_FIRST = RunOrder.parse(List.of());
    private static final Comparator<Run> BY_START = RunOrder.groups(List.of());

    @Test
    void page_tiedStartTimesAcrossTwoScans_areMergedAndOrderedByRunId() {
        List<Run> left = List.of(run("b").startTime(30).build(), run("d").startTime(20).build(),
                run("a").startTime(10).build());
        List<Run> right = List.of(run("c").startTime(30).build(), run("a2").startTime(20).build());

        List<String> ids = walk(List.of(left, right), 2);

        assertThat(ids).containsExactly("b", "c", "a2", "d", "a");
    }

    @Test
    void page_runSeenTwice_isReturnedOnce() {
        Run same = run("x").startTime(5).build();

        List<String> ids = walk(List.of(List.of(same), List.of(same)), 10);

        assertThat(ids).containsExactly("x");
    }

    @Test
    void page_offsetToken_skipsThatManyMatches() {
        List<Run> runs = List.of(run("c").startTime(3).build(), run("b").startTime(2).build(),
                run("a").startTime(1).build());

        Page<Run> page = OrderedPages.page(List.of(runs.iterator()), BY_START, NEWEST_FIRST, run -> true, 1, 1, null,
                run -> run.info().runId(), OrderedPagesTest::token);

        assertThat(page.items()).extracting(run -> run.info().runId()).containsExactly("b");
        assertThat(PageToken.position(page.nextPageToken())).isEqualTo(new PageToken.After(2, "b"));
    }

    private static List<String> walk(List<List<Run>> scans, int size) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            Run after = token == null ? null : cursor((PageToken.After) PageToken.position(token));
            List<Iterator<Run>> iterators = scans.stream().map(List::iterator).toList();
            Page<Run> page = OrderedPages.page(iterators, BY_START, NEWEST_FIRST, run -> true, size, 0, after,
                    run -> run.info().runId(), OrderedPagesTest::token);
            page.items().forEach(run -> ids.add(run.info().runId()));
            token = page.nextPageToken();
        } while (token != null && ids.size() < 100);
        return ids;
    }

    private static String token(Run run) {
        return PageToken.encodeAfter(run.info().startTime(), run.info().runId());
    }

    private static Run cursor(PageToken.After after) {
        return run(after.runId()).startTime(after.startTime()).build();
    }
}
