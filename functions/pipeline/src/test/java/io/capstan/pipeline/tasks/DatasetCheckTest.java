package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetCheckTest {
    private static final String WHERE = "s3://capstan-datasets/datasets/breast-cancer/2026-11-22.csv";
    private static final List<String> COLUMNS = List.of("mean_radius", "label", "mean_texture");

    /** {@code benign} rows labelled B and {@code malignant} labelled M, all with valid numbers. */
    private static List<List<String>> rows(int benign, int malignant) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < benign + malignant; i++) {
            rows.add(List.of(Double.toString(10 + i * 0.5), i < benign ? "B" : "M", Double.toString(20 - i * 0.25)));
        }
        return rows;
    }

    private static LabelledDataset dataset(List<List<String>> rows) {
        return new LabelledDataset(COLUMNS, rows);
    }

    /** The default rows with one cell replaced. */
    private static LabelledDataset withCell(int row, int column, String value) {
        List<List<String>> rows = rows(6, 4);
        List<String> changed = new ArrayList<>(rows.get(row));
        changed.set(column, value);
        rows.set(row, changed);
        return dataset(rows);
    }

    private static DatasetCheck check() {
        return new DatasetCheck("label", List.of(), 4, 0.1);
    }

    @Test
    void check_noFeaturesGiven_returnsEveryColumnButLabelInFileOrder() {
        assertThat(check().check(dataset(rows(6, 4)), WHERE)).containsExactly("mean_radius", "mean_texture");
    }

    @Test
    void check_championFeatures_returnsThemInModelOrderAndIgnoresOtherColumns() {
        List<List<String>> rows = new ArrayList<>();
        rows(6, 4).forEach(r -> rows.add(List.of(r.get(0), r.get(1), r.get(2), "patient-" + rows.size())));
        LabelledDataset data = new LabelledDataset(List.of("mean_radius", "label", "mean_texture", "patient_id"), rows);

        List<String> features = new DatasetCheck("label", List.of("mean_texture", "mean_radius"), 4, 0.1)
                .check(data, WHERE);

        // patient_id is not numeric, but the model does not take it
        assertThat(features).containsExactly("mean_texture", "mean_radius");
    }

    @Test
    void check_missingLabelColumn_namesItAndListsColumns() {
        assertThatThrownBy(() -> new DatasetCheck("diagnosis", List.of(), 4, 0.1).check(dataset(rows(6, 4)), WHERE))
                .isInstanceOfSatisfying(TaskFailure.class, f -> {
                    assertThat(f.errorName()).isEqualTo("DatasetInvalid");
                    assertThat(f.getMessage()).isEqualTo(WHERE + " has no label column 'diagnosis' (columns: "
                            + "[mean_radius, label, mean_texture])");
                });
    }

    @Test
    void check_missingChampionFeature_namesItAndExpectedColumns() {
        DatasetCheck check = new DatasetCheck("label", List.of("mean_radius", "mean_area"), 4, 0.1);

        assertThatThrownBy(() -> check.check(dataset(rows(6, 4)), WHERE))
                .hasMessage(WHERE + " lacks the feature column 'mean_area' the model takes (expected [mean_radius,"
                        + " mean_area])");
    }

    @Test
    void check_fewerRowsThanMinimum_failsWithBothCounts() {
        assertThatThrownBy(() -> check().check(dataset(rows(2, 1)), WHERE))
                .hasMessage(WHERE + " has 3 data rows; at least 4 are needed to train and hold out rows for"
                        + " evaluation");
    }

    @Test
    void check_wordInFeatureColumn_namesDataRowColumnAndValue() {
        // the second data row (index 1) is row 2: rows count from 1, the header not included
        assertThatThrownBy(() -> check().check(withCell(1, 0, "seventeen"), WHERE))
                .isInstanceOfSatisfying(TaskFailure.class, f -> assertThat(f.getMessage())
                        .isEqualTo(WHERE + " row 2, column 'mean_radius': 'seventeen' is not a finite number"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-inf", "+Infinity", "1e400", "", "0x1G", "1,5"})
    void check_nonFiniteOrNonNumericValue_isRejected(String value) {
        assertThatThrownBy(() -> check().check(withCell(9, 2, value), WHERE))
                .hasMessage(WHERE + " row 10, column 'mean_texture': '" + value + "' is not a finite number");
    }

    @Test
    void check_usualNumberForms_areAccepted() {
        List<List<String>> rows = rows(6, 4);
        List<String> forms = List.of("-1.5e-3", "+2", ".5", "1E3", "0", "-0.0", "42", "3.", "1e-300", "-7");
        for (int r = 0; r < rows.size(); r++) {
            rows.set(r, List.of(forms.get(r), rows.get(r).get(1), rows.get(r).get(2)));
        }

        assertThat(check().check(dataset(rows), WHERE)).containsExactly("mean_radius", "mean_texture");
    }

    @Test
    void check_rowWithoutLabel_namesRowAndLabelColumn() {
        assertThatThrownBy(() -> check().check(withCell(2, 1, ""), WHERE))
                .hasMessage(WHERE + " row 3 has no label in column 'label'");
    }

    @Test
    void check_singleClass_failsNamingIt() {
        assertThatThrownBy(() -> check().check(dataset(rows(10, 0)), WHERE))
                .hasMessage(WHERE + " has a single class [B] in 'label'; a classifier needs at least two");
    }

    @Test
    void check_classUnderMinimumShare_reportsItsShare() {
        // 1 of 20 rows is 5%, under the 10% asked for
        assertThatThrownBy(() -> check().check(dataset(rows(19, 1)), WHERE))
                .hasMessage(WHERE + ": class 'M' has 1 of 20 rows (5.0%), under the minimum share of 10.0%");
    }

    @Test
    void check_classExactlyAtMinimumShare_passes() {
        // 2 of 20 rows is exactly the 10% minimum: not under it
        assertThat(check().check(dataset(rows(18, 2)), WHERE)).hasSize(2);
    }

    @Test
    void check_valueBeyondFloatRange_isRejected() {
        assertThatThrownBy(() -> check().check(withCell(0, 0, "1e39"), WHERE))
                .hasMessageContaining("'1e39' is not a finite number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e39", "-3.5e38", "1.7976931348623157E308"})
    void check_valueBeyondFloatRange_namesRowColumnAndTheLimit(String value) {
        assertThatThrownBy(() -> check().check(withCell(4, 2, value), WHERE))
                .isInstanceOfSatisfying(TaskFailure.class, f -> assertThat(f.errorName()).isEqualTo("DatasetInvalid"))
                .hasMessage(WHERE + " row 5, column 'mean_texture': '" + value + "' is not a finite number as float32,"
                        + " which models read (at most 3.4028235E38 in magnitude)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.4028235e38", "-3.4028235e38", "3.40282356e38"})
    void check_valueAtFloatLimit_isAccepted(String value) {
        assertThat(check().check(withCell(4, 2, value), WHERE)).containsExactly("mean_radius", "mean_texture");
    }
}
