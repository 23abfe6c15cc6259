package io.capstan.predict.input;

import io.capstan.model.ModelCard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A model card's input columns in tensor order, with a name-to-position lookup built once per loaded model. */
public final class FeatureColumns {
    private final List<String> names;
    private final Map<String, Integer> positions;
    private final int[] cardOrder;

    private FeatureColumns(List<String> names) {
        this.names = List.copyOf(names);
        this.positions = new HashMap<>(names.size() * 2);
        this.cardOrder = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            positions.put(names.get(i), i);
            cardOrder[i] = i;
        }
    }

    public static FeatureColumns of(ModelCard card) {
        return new FeatureColumns(card.features());
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

    /** Positions 0, 1, ... as a row given in the card's order maps them; shared, never to be written. */
    int[] cardOrder() {
        return cardOrder;
    }

    /** The number of columns: the input tensor's second dimension. */
    public int width() {
        return names.size();
    }
}
