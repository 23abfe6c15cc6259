package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledDatasetTest {
    private static final String WHERE = "s3://capstan-datasets/datasets/breast-cancer/2026-11-22.csv";

    private static LabelledDataset parse(String csv) {
        return LabelledDataset.parse(csv.getBytes(StandardCharsets.UTF_8), WHERE);
    }

    @Test
    void parse_headerAndRows_keepsFileOrderAndTrimsValues() {
        LabelledDataset data = parse("mean_radius, label\n 17.99 ,M\n13.54,B\n");

        assertThat(data.columns()).containsExactly("mean_radius", "label");
        assertThat(data.rows()).containsExactly(List.of("17.99", "M"), List.of("13.54", "B"));
        assertThat(data.column("label")).isEqualTo(1);
        assertThat(data.column("diagnosis")).isEqualTo(-1);
    }

    @Test
    void parse_rowWiderThanHeader_failsNamingFileLine() {
        // the header is line 1, so the second data row is line 3
        assertThatThrownBy(() -> parse("mean_radius,label\n17.99,M\n13.54,B,extra\n20.57,M\n"))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("DatasetInvalid");
                    assertThat(f.getMessage()).isEqualTo(WHERE + " line 3 has 3 values, the header has 2 columns");
                });
    }

    @Test
    void parse_emptyFile_failsWithoutHeader() {
        assertThatThrownBy(() -> parse(""))
                .isInstanceOf(TaskFailure.class)
                .hasMessage(WHERE + " has no header row");
    }

    @Test
    void parse_duplicateColumnName_isRejected() {
        String csv = "mean_radius,label,mean_radius\n17.99,M,1.0\n13.54,B,seventeen\n20.57,M,2.0\n11.42,B,3.0\n";

        assertThatThrownBy(() -> new DatasetCheck("label", List.of(), 4, 0.1).check(parse(csv), WHERE))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("mean_radius");
    }

    @Test
    void parse_duplicateColumnName_namesItAndBothPositions() {
        assertThatThrownBy(() -> parse("mean_radius,label,mean_radius\n17.99,M,1.0\n"))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("DatasetInvalid");
                    assertThat(f.getMessage()).isEqualTo(WHERE + " has the column 'mean_radius' twice (columns 1 and 3"
                            + " of the header); rename or remove one");
                });
    }

    @Test
    void parse_namesEqualOnceTrimmed_areDuplicates() {
        assertThatThrownBy(() -> parse("label,x, x \nM,1,2\n"))
                .hasMessage(WHERE + " has the column 'x' twice (columns 2 and 3 of the header); rename or remove one");
    }

    @Test
    void toCsv_valuesNeedingQuotes_parseBackUnchanged() {
        LabelledDataset data = new LabelledDataset(List.of("note", "label"), List.of());
        List<List<String>> rows = List.of(List.of("a, b", "M"), List.of("say \"hi\"", "B"), List.of("two\nlines", "B"));

        LabelledDataset again = LabelledDataset.parse(data.toCsv(rows), WHERE);

        assertThat(again.columns()).containsExactly("note", "label");
        assertThat(again.rows()).isEqualTo(rows);
    }

    @Test
    void labelCounts_mixedLabels_countsEachSortedByLabel() {
        LabelledDataset data = parse("x,label\n1,M\n2,B\n3,M\n4,M\n");

        assertThat(data.labelCounts("label")).containsExactly(Map.entry("B", 1), Map.entry("M", 3));
    }
}
