package io.capstan.profile;

import org.apache.datasketches.kll.KllSketch;

/**
 * Sizes of the sketches a profile keeps.
 *
 * <p>A KLL sketch with parameter {@code k} answers rank (CDF) queries within {@link #rankError()} of the true
 * normalized rank: DataSketches' empirical bound, met with 99% confidence by the largest error over all
 * queries of one sketch. With the default {@code k = 1000} that is 0.0028 (0.28% of the rows), 0.0036 for a
 * probability mass of one bin (two ranks). A sketch that has seen no more than {@code k} values keeps them
 * all and is exact. Size: about {@code 3k} retained values at any stream length (24 KB for k = 1000).
 *
 * <p>A frequent-items sketch with a map of {@code frequentItemsMapSize} slots counts categories exactly
 * while there are fewer than {@code 0.75 * frequentItemsMapSize} distinct ones; beyond that each count is
 * off by at most the sketch's reported maximum error (about {@code 3.5 / frequentItemsMapSize} of the stream).
 *
 * @param kllK KLL parameter k, 8 to 65535
 * @param frequentItemsMapSize frequent-items map size, a power of two from 8
 */
public record SketchParameters(int kllK, int frequentItemsMapSize) {
    /** k = 1000: rank error 0.28%, bin mass error 0.36% (99% confidence), about 24 KB a numeric feature. */
    public static final int DEFAULT_KLL_K = 1000;
    /** 1024 slots: exact counts for up to 768 categories. */
    public static final int DEFAULT_FREQUENT_ITEMS_MAP_SIZE = 1024;

    public SketchParameters {
        if (kllK < 8 || kllK > KllSketch.MAX_K) {
            throw new InvalidProfileException("kll_k " + kllK + " is outside 8.." + KllSketch.MAX_K + ".");
        }
        if (frequentItemsMapSize < 8 || Integer.bitCount(frequentItemsMapSize) != 1) {
            throw new InvalidProfileException("frequent_items_map_size " + frequentItemsMapSize
                    + " is not a power of two of at least 8.");
        }
    }

    public static SketchParameters defaults() {
        return new SketchParameters(DEFAULT_KLL_K, DEFAULT_FREQUENT_ITEMS_MAP_SIZE);
    }

    /** Normalized rank error of a KLL sketch with this k (99% confidence, all queries): the CDF bound. */
    public double rankError() {
        return KllSketch.getNormalizedRankError(kllK, false);
    }

    /** Normalized error of a probability mass between two ranks (one histogram bin), 99% confidence. */
    public double massError() {
        return KllSketch.getNormalizedRankError(kllK, true);
    }
}
