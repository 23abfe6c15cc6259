package io.capstan.profile.internal;

import io.capstan.profile.CategoricalFeatureProfile;
import io.capstan.profile.Histogram;
import io.capstan.profile.NumericFeatureProfile;
import io.capstan.profile.Sampling;
import io.capstan.profile.SketchParameters;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;

/** Exact profiles of whole columns, as the trainer has them. */
public final class ColumnProfiler {
    private ColumnProfiler() {
    }

    public static NumericFeatureProfile numeric(String name, double[] values, SketchParameters params) {
        double[] sorted = SortedColumns.sortedPresent(values);
        long missing = values.length - sorted.length;
        KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(params.kllK());
        kll.update(sorted, 0, sorted.length);
        if (sorted.length == 0) {
            return new NumericFeatureProfile(name, 0, missing, 0L, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    null, kll.toByteArray());
        }
        double[] moments = SortedColumns.meanAndStd(sorted);
        return new NumericFeatureProfile(name, sorted.length, missing, SortedColumns.distinctCount(sorted),
                moments[0], moments[1], sorted[0], sorted[sorted.length - 1], Histogram.onDeciles(sorted),
                kll.toByteArray());
    }

    public static CategoricalFeatureProfile categorical(String name, String[] values) {
        Map<String, Long> counts = new HashMap<>();
        long missing = 0;
        for (String v : values) {
            if (v == null || v.isEmpty()) {
                missing++;
            } else {
                counts.merge(v, 1L, Long::sum);
            }
        }
        return new CategoricalFeatureProfile(name, values.length - missing, missing, (long) counts.size(),
                mostFrequentFirst(counts), 0);
    }

    /**
     * A categorical column counted by a frequent-items sketch: exact (with its distinct count) when the sketch's
     * maximum error is 0.
     */
    static CategoricalFeatureProfile sketched(String name, Map<String, Long> counts, long count, long missing,
                                              long error, Sampling sampling) {
        return new CategoricalFeatureProfile(name, count, missing, error == 0 ? (long) counts.size() : null,
                mostFrequentFirst(counts), error, sampling);
    }

    /** Counts ordered by count descending, then category ascending: a stable, readable order. */
    public static Map<String, Long> mostFrequentFirst(Map<String, Long> counts) {
        Map<String, Long> ordered = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }
}
