package io.capstan.drift.internal;

import io.capstan.drift.Overlay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** Chart data for the HTML report. */
final class Overlays {
    private static final int MAX_CATEGORIES = 30;

    private Overlays() {
    }

    static Overlay numeric(double[] edges, double[] p, double[] q) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            labels.add(String.format(Locale.ROOT, "%.4g", edges[i]));
        }
        return new Overlay(labels, io.capstan.profile.internal.SortedColumns.boxed(p), io.capstan.profile.internal.SortedColumns.boxed(q));
    }

    static Overlay categorical(CategoryStatistics stats) {
        double[] p = stats.referenceProportions();
        double[] q = stats.currentProportions();
        List<String> keys = stats.keys();
        List<Integer> order = IntStream.range(0, keys.size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -Math.max(p[i], q[i])).thenComparing(keys::get))
                .limit(MAX_CATEGORIES).toList();
        List<String> labels = new ArrayList<>();
        List<Double> ref = new ArrayList<>();
        List<Double> cur = new ArrayList<>();
        for (int i : order) {
            labels.add(keys.get(i));
            ref.add(p[i]);
            cur.add(q[i]);
        }
        return new Overlay(labels, ref, cur);
    }
}
