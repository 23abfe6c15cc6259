package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HoldoutSplitTest {

    /** Rows {@code id,label}: for each label, that many rows with distinct ids. */
    private static LabelledDataset dataset(Map<String, Integer> perLabel) {
        List<List<String>> rows = new ArrayList<>();
        perLabel.forEach((label, count) -> {
            for (int i = 0; i < count; i++) {
                rows.add(List.of(label + i, label));
            }
        });
        return new LabelledDataset(List.of("id", "label"), rows);
    }

    private static Map<String, Long> perLabel(List<List<String>> rows) {
        return rows.stream().collect(Collectors.groupingBy(r -> r.get(1), Collectors.counting()));
    }

    @Test
    void of_sameSeed_givesTheSameSplit() {
        LabelledDataset data = dataset(Map.of("B", 30, "M", 20));

        HoldoutSplit first = HoldoutSplit.of(data, "label", 0.2, 42);
        HoldoutSplit second = HoldoutSplit.of(data, "label", 0.2, 42);

        assertThat(second.train()).isEqualTo(first.train());
        assertThat(second.holdout()).isEqualTo(first.holdout());
    }

    @Test
    void of_differentSeeds_holdOutDifferentRows() {
        LabelledDataset data = dataset(Map.of("B", 30, "M", 20));

        Set<Set<List<String>>> holdouts = LongStream.rangeClosed(1, 5)
                .mapToObj(seed -> Set.copyOf(HoldoutSplit.of(data, "label", 0.2, seed).holdout()))
                .collect(Collectors.toSet());

        assertThat(holdouts).hasSizeGreaterThan(1);
    }

    @Test
    void of_fraction_holdsOutRoundedShareOfEachClass() {
        LabelledDataset data = dataset(Map.of("B", 10, "M", 5));

        HoldoutSplit fifth = HoldoutSplit.of(data, "label", 0.2, 7);
        // 0.3 x 5 = 1.5 rounds up to 2
        HoldoutSplit thirty = HoldoutSplit.of(data, "label", 0.3, 7);

        assertThat(perLabel(fifth.holdout())).isEqualTo(Map.of("B", 2L, "M", 1L));
        assertThat(perLabel(fifth.train())).isEqualTo(Map.of("B", 8L, "M", 4L));
        assertThat(perLabel(thirty.holdout())).isEqualTo(Map.of("B", 3L, "M", 2L));
    }

    @Test
    void of_anySplit_partitionsTheRowsWithoutLossOrDuplicates() {
        LabelledDataset data = dataset(Map.of("B", 17, "M", 9, "X", 4));

        HoldoutSplit split = HoldoutSplit.of(data, "label", 0.25, 3);

        List<List<String>> all = new ArrayList<>(split.train());
        all.addAll(split.holdout());
        assertThat(all).containsExactlyInAnyOrderElementsOf(data.rows());
        Set<List<String>> overlap = new HashSet<>(split.train());
        overlap.retainAll(split.holdout());
        assertThat(overlap).isEmpty();
    }

    @Test
    void of_tinyClasses_keepATrainingRowAndHoldOneOutWhenTheyCan() {
        LabelledDataset data = dataset(Map.of("B", 20, "single", 1, "pair", 2));
        Function<Double, Map<String, Long>> heldOut = fraction -> perLabel(HoldoutSplit.of(data, "label", fraction, 1)
                .holdout());

        // fraction 0: each class of two or more rows still gives one holdout row
        assertThat(heldOut.apply(0.0)).isEqualTo(Map.of("B", 1L, "pair", 1L));
        // fraction 0.99: every class keeps one training row; the single row always trains
        assertThat(heldOut.apply(0.99)).isEqualTo(Map.of("B", 19L, "pair", 1L));
    }
}
