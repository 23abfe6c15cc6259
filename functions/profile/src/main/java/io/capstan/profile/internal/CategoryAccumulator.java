package io.capstan.profile.internal;

import io.capstan.profile.CategoricalFeatureProfile;
import io.capstan.profile.InvalidProfileException;
import io.capstan.profile.Sampling;
import io.capstan.profile.StreamingProfile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.datasketches.common.SketchesArgumentException;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.LongsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Counts the codes of one categorical column in a frequent-items sketch keyed by the code's float bits (no
 * string per row); codes become category names only when a profile is made.
 */
public final class CategoryAccumulator implements CategoryCounts {
    public static final byte KIND = 0;

    private final LongsSketch sketch;
    private long missing;
    private final SamplingWeights sampling = new SamplingWeights();

    public CategoryAccumulator(int mapSize) {
        this(new LongsSketch(mapSize));
    }

    private CategoryAccumulator(LongsSketch sketch) {
        this.sketch = sketch;
    }

    public void add(float code) {
        add(code, 0);
    }

    /**
     * Adds a sampled code standing for {@code 2^level} rows. The frequencies' error then grows by Hoeffding's bound
     * over the sampled codes ({@link SamplingWeights}).
     */
    public void add(float code, int level) {
        long weight = 1L << level;
        if (code != code) {
            missing += weight;
        } else {
            sketch.update(Float.floatToIntBits(code == 0f ? 0f : code), weight);
            sampling.add(1, level);
        }
    }

    /** The column's sampling so far (read and written with the profile's binary form). */
    public SamplingWeights sampling() {
        return sampling;
    }

    @Override
    public void merge(CategoryCounts other) {
        CategoryAccumulator codes = (CategoryAccumulator) other;
        missing += codes.missing;
        sampling.merge(codes.sampling);
        sketch.merge(codes.sketch);
    }

    @Override
    public CategoricalFeatureProfile toProfile(String name) {
        Map<String, Long> counts = new HashMap<>();
        for (LongsSketch.Row row : sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
            counts.put(StreamingProfile.categoryKey(Float.intBitsToFloat((int) row.getItem())), row.getEstimate());
        }
        Sampling sampled = sampling.sampling();
        long samplingError = sampled == null ? 0 : (long) Math.ceil(sampled.countError());
        return ColumnProfiler.sketched(name, counts, sketch.getStreamLength(), missing,
                sketch.getMaximumError() + samplingError, sampled);
    }

    @Override
    public byte kind() {
        return KIND;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeLong(missing);
        byte[] bytes = sketch.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static CategoryAccumulator read(DataInput in, String feature) throws IOException {
        long missing = in.readLong();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try {
            CategoryAccumulator acc = new CategoryAccumulator(LongsSketch.getInstance(Memory.wrap(bytes)));
            acc.missing = missing;
            return acc;
        } catch (SketchesArgumentException e) {
            throw new InvalidProfileException("Feature '" + feature + "' frequent-items sketch is not valid: "
                    + e.getMessage(), e);
        }
    }
}
