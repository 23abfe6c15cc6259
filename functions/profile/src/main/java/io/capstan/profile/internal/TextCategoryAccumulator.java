package io.capstan.profile.internal;

import io.capstan.profile.CategoricalFeatureProfile;
import io.capstan.profile.InvalidProfileException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.common.SketchesArgumentException;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Counts the text values of one categorical column (a CSV dataset's) in a frequent-items sketch: exact while the
 * column has fewer distinct values than three quarters of the map size, each count within the sketch's maximum
 * error beyond. An empty value is missing.
 */
public final class TextCategoryAccumulator implements CategoryCounts {
    public static final byte KIND = 1;
    private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

    private final ItemsSketch<String> sketch;
    private long missing;

    public TextCategoryAccumulator(int mapSize) {
        this(new ItemsSketch<>(mapSize));
    }

    private TextCategoryAccumulator(ItemsSketch<String> sketch) {
        this.sketch = sketch;
    }

    public void add(String value) {
        if (value == null || value.isEmpty()) {
            missing++;
        } else {
            sketch.update(value);
        }
    }

    @Override
    public void merge(CategoryCounts other) {
        TextCategoryAccumulator text = (TextCategoryAccumulator) other;
        missing += text.missing;
        sketch.merge(text.sketch);
    }

    @Override
    public CategoricalFeatureProfile toProfile(String name) {
        Map<String, Long> counts = new HashMap<>();
        for (ItemsSketch.Row<String> row : sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
            counts.put(row.getItem(), row.getEstimate());
        }
        return ColumnProfiler.sketched(name, counts, sketch.getStreamLength(), missing, sketch.getMaximumError(), null);
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeLong(missing);
        byte[] bytes = sketch.toByteArray(SERDE);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public byte kind() {
        return KIND;
    }

    public static TextCategoryAccumulator read(DataInput in, String feature) throws IOException {
        long missing = in.readLong();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try {
            TextCategoryAccumulator acc = new TextCategoryAccumulator(ItemsSketch.getInstance(Memory.wrap(bytes),
                    SERDE));
            acc.missing = missing;
            return acc;
        } catch (SketchesArgumentException e) {
            throw new InvalidProfileException("Feature '" + feature + "' frequent-items sketch is not valid: "
                    + e.getMessage(), e);
        }
    }
}
