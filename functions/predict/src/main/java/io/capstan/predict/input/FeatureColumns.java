package io.capstan.predict.input;

import io.capstan.model.ModelCard;
import io.capstan.model.ModelCard.TensorType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model card's input columns in tensor order, with a name-to-position lookup built once per loaded model, the input's
 * element type, and how strictly requests are read.
 */
public final class FeatureColumns {
    private final List<String> names;
    private final Map<String, Integer> positions;
    private final int[] cardOrder;
    private final TensorType type;
    private final boolean lenient;
    private final String inputTensor;

    private FeatureColumns(List<String> names, TensorType type, boolean lenient, String inputTensor) {
        this.names = List.copyOf(names);
        this.type = type;
        this.lenient = lenient;
        this.inputTensor = inputTensor;
        this.positions = new HashMap<>(names.size() * 2);
        this.cardOrder = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            positions.put(names.get(i), i);
            cardOrder[i] = i;
        }
    }

    /** Capstan's strict reading: unknown columns, nulls and NaN are refused. */
    public static FeatureColumns of(ModelCard card) {
        return of(card, false);
    }

    /**
     * @param lenient read as MLflow's scoring server does for a model with a column signature: columns the model does
     *                not take are ignored, and null or NaN in a float or double column is a missing value (NaN)
     */
    public static FeatureColumns of(ModelCard card, boolean lenient) {
        return new FeatureColumns(card.features(), card.inputType(), lenient, card.inputTensor());
    }

    /** The column's position in the input tensor, or -1 when the model has no such column. */
    public int indexOf(String name) {
        Integer position = positions.get(name);
        return position == null ? -1 : position;
    }

    public String name(int index) {
        return names.get(index);
    }

    public List<String> names() {
        return names;
    }

    /** The input tensor's element type. */
    public TensorType type() {
        return type;
    }

    /** The graph input the columns form, as {@code [rows, width]}. */
    public String inputTensor() {
        return inputTensor;
    }

    /** Whether columns the model does not take are skipped rather than refused. */
    boolean skipsUnknownColumns() {
        return lenient;
    }

    /** Whether null and NaN are read as a missing value (NaN) in a float or double column rather than refused. */
    boolean acceptsMissingValues() {
        return lenient && type != TensorType.INT64;
    }

    /** Positions 0, 1, ... as a row given in the card's order maps them; shared, never to be written. */
    int[] cardOrder() {
        return cardOrder;
    }

    /** The number of columns: the input tensor's second dimension. */
    public int width() {
        return names.size();
    }
}
