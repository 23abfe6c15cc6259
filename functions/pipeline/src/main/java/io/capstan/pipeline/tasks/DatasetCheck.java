package io.capstan.pipeline.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks a dataset passes before anything is trained on it: enough rows, the label column present and
 * balanced enough, every feature column present and numeric in every row, within float32's range (models read
 * float32). Feature columns are the champion's (its model card's order) when the model has one, the requested ones,
 * or every column but the label.
 *
 * @param labelColumn     the column holding the class
 * @param features        required feature columns in model order; empty means every column but the label
 * @param minimumRows     fewest data rows accepted
 * @param minimumShare    smallest share of rows any class may have (0 to 0.5)
 */
public record DatasetCheck(String labelColumn, List<String> features, int minimumRows, double minimumShare) {

    public DatasetCheck {
        features = List.copyOf(features);
    }

    /**
     * Checks {@code data}; returns the feature columns in model order.
     *
     * @throws TaskFailure DatasetInvalid naming the problem: the column, the row (1 is the first data row) and the
     *                     value where there is one
     */
    public List<String> check(LabelledDataset data, String where) {
        if (data.column(labelColumn) < 0) {
            throw LabelledDataset.invalid(where + " has no label column '" + labelColumn + "' (columns: "
                    + data.columns() + ")");
        }
        List<String> featureColumns = new ArrayList<>(features);
        if (featureColumns.isEmpty()) {
            data.columns().stream().filter(c -> !c.equals(labelColumn)).forEach(featureColumns::add);
        }
        for (String feature : featureColumns) {
            if (data.column(feature) < 0) {
                throw LabelledDataset.invalid(where + " lacks the feature column '" + feature + "' the model takes"
                        + " (expected " + featureColumns + ")");
            }
        }
        if (data.rows().size() < minimumRows) {
            throw LabelledDataset.invalid(where + " has " + data.rows().size() + " data rows; at least " + minimumRows
                    + " are needed to train and hold out rows for evaluation");
        }
        int label = data.column(labelColumn);
        for (int r = 0; r < data.rows().size(); r++) {
            List<String> row = data.rows().get(r);
            if (row.get(label).isEmpty()) {
                throw LabelledDataset.invalid(where + " row " + (r + 1) + " has no label in column '" + labelColumn
                        + "'");
            }
            for (String feature : featureColumns) {
                String value = row.get(data.column(feature));
                if (!isFiniteNumber(value)) {
                    throw LabelledDataset.invalid(where + " row " + (r + 1) + ", column '" + feature + "': '" + value
                            + "' is not a finite number");
                }
                if (!Float.isFinite(Float.parseFloat(value))) {
                    throw LabelledDataset.invalid(where + " row " + (r + 1) + ", column '" + feature + "': '" + value
                            + "' is not a finite number as float32, which models read (at most "
                            + Float.MAX_VALUE + " in magnitude)");
                }
            }
        }
        Map<String, Integer> counts = data.labelCounts(labelColumn);
        if (counts.size() < 2) {
            throw LabelledDataset.invalid(where + " has a single class " + counts.keySet() + " in '" + labelColumn
                    + "'; a classifier needs at least two");
        }
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            double share = (double) c.getValue() / data.rows().size();
            if (share < minimumShare) {
                throw LabelledDataset.invalid(String.format(java.util.Locale.ROOT, "%s: class '%s' has %d of %d rows"
                        + " (%.1f%%), under the minimum share of %.1f%%", where, c.getKey(), c.getValue(),
                        data.rows().size(), 100 * share, 100 * minimumShare));
            }
        }
        return List.copyOf(featureColumns);
    }

    private static final Set<String> NON_FINITE = Set.of("nan", "inf", "+inf", "-inf", "infinity", "+infinity",
            "-infinity");

    private static boolean isFiniteNumber(String text) {
        if (text.isEmpty() || NON_FINITE.contains(text.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
