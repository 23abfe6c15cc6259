package io.capstan.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

    @Test
    void split_sameSeed_sameStratifiedRows() {
        LabelledRows rows = rows(Map.of("a", 50, "b", 30, "c", 1));

        TrainingData first = TrainingData.split(rows, 0.2, 42);
        TrainingData second = TrainingData.split(rows, 0.2, 42);
        TrainingData other = TrainingData.split(rows, 0.2, 43);

        assertThat(first.validation().labelCounts()).containsExactly(Map.entry("a", 10), Map.entry("b", 6));
        assertThat(first.train().labelCounts()).containsExactly(Map.entry("a", 40), Map.entry("b", 24),
                Map.entry("c", 1));
        assertThat(first.validation().features()).isEqualTo(second.validation().features());
        assertThat(first.validation().features()).isNotEqualTo(other.validation().features());
        assertThat(first.validationSource()).isEqualTo("split");
        assertThat(first.source()).isSameAs(rows);
    }

    @Test
    void split_tooFewRows_asksForAValidationChannel() {
        LabelledRows rows = rows(Map.of("a", 2, "b", 1));

        assertThatThrownBy(() -> TrainingData.split(rows, 0.2, 42))
                .hasMessageContaining("holds out no row").hasMessageContaining("validation channel");
    }

    private static LabelledRows rows(Map<String, Integer> counts) {
        List<double[]> features = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            for (int i = 0; i < entry.getValue(); i++) {
                features.add(new double[]{features.size()});
                labels.add(entry.getKey());
            }
        });
        return new LabelledRows(List.of("x"), features, labels, List.of("d.csv"), "digest");
    }
}
