package io.capstan.profile.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Order statistics on an ascending column, computed the way numpy does so golden fixtures match. */
public final class SortedColumns {
    private SortedColumns() {
    }

    /** Copy of the non-NaN values of {@code values}, sorted ascending. */
    public static double[] sortedPresent(double[] values) {
        double[] out = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                out[n++] = v;
            }
        }
        out = n == out.length ? out : Arrays.copyOf(out, n);
        sort(out);
        return out;
    }

    /** Arrays shorter than this go to {@link Arrays#sort(double[])}. */
    static final int SMALL = 65_536;
    /** Values a strided sample reads to judge a column's shape. */
    static final int SAMPLE = 2048;
    /** The most distinct values the counting sort takes before it gives up. */
    static final int MAX_DISTINCT = 1 << 14;
    private static final int SLOTS = MAX_DISTINCT << 1;
    private static final int SHIFT = 64 - Integer.numberOfTrailingZeros(SLOTS);

    /**
     * Sorts ascending, in the order of {@link Arrays#sort(double[])} (-0.0 before 0.0), NaN-free input, by the method
     * that suits the column's shape (docs/PERFORMANCE-drift.md, "Sorting"): arrays under {@value #SMALL} values by
     * {@code Arrays.sort}; a column whose strided sample of {@value #SAMPLE} values repeats at least half of them
     * (integer-valued data: delays, distances, counts) by counting its distinct values in a hash table, which gives up
     * after {@value #MAX_DISTINCT} of them; any other by an LSD radix sort on the order-preserving bit pattern (4
     * passes of 16 bits, a pass skipped when all values share its digit). On 1.5M values: ties 2.4 ms counted against
     * 15 ms radix and 40 ms {@code Arrays.sort}; continuous 17 ms radix against 102 ms.
     */
    public static void sort(double[] values) {
        if (values.length < SMALL) {
            Arrays.sort(values);
        } else if (!fewDistinct(values) || !countingSort(values)) {
            radixSort(values);
        }
    }

    /** Whether a strided sample of an array of at least {@value #SAMPLE} values repeats at least half its values. */
    static boolean fewDistinct(double[] values) {
        double[] sample = new double[SAMPLE];
        long stride = values.length / SAMPLE;
        for (int i = 0; i < SAMPLE; i++) {
            sample[i] = values[(int) (i * stride)];
        }
        Arrays.sort(sample);
        return distinctCount(sample) <= SAMPLE / 2;
    }

    /**
     * Sorts {@code values} (NaN-free) in place by counting its distinct values; returns false, leaving the array as it
     * was, when there are more than {@value #MAX_DISTINCT} of them.
     */
    static boolean countingSort(double[] values) {
        long[] keys = new long[SLOTS];
        int[] counts = new int[SLOTS];
        int distinct = 0;
        for (double v : values) {
            long bits = Double.doubleToRawLongBits(v);
            int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> SHIFT);
            while (counts[slot] != 0 && keys[slot] != bits) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            if (counts[slot] == 0) {
                if (++distinct > MAX_DISTINCT) {
                    return false;
                }
                keys[slot] = bits;
            }
            counts[slot]++;
        }
        double[] sortedKeys = new double[distinct];
        int[] slotOf = new int[distinct];
        int k = 0;
        for (int s = 0; s < SLOTS; s++) {
            if (counts[s] != 0) {
                sortedKeys[k] = Double.longBitsToDouble(keys[s]);
                slotOf[k++] = s;
            }
        }
        Integer[] order = new Integer[distinct];
        for (int i = 0; i < distinct; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(sortedKeys[a], sortedKeys[b]));
        int at = 0;
        for (int i : order) {
            Arrays.fill(values, at, at + counts[slotOf[i]], sortedKeys[i]);
            at += counts[slotOf[i]];
        }
        return true;
    }

    /** The LSD radix sort alone, whatever the column's shape (the benchmarks compare it). */
    public static void radixSort(double[] values) {
        int n = values.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            keys[i] = bits ^ ((bits >> 63) | Long.MIN_VALUE);
        }
        long[] spare = new long[n];
        int[] count = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            Arrays.fill(count, 0);
            for (long k : keys) {
                count[(int) ((k >>> shift) & 0xFFFF)]++;
            }
            if (count[(int) ((keys[0] >>> shift) & 0xFFFF)] == n) {
                continue;
            }
            int sum = 0;
            for (int d = 0; d < count.length; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (long k : keys) {
                spare[count[(int) ((k >>> shift) & 0xFFFF)]++] = k;
            }
            long[] swap = keys;
            keys = spare;
            spare = swap;
        }
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            values[i] = Double.longBitsToDouble(k ^ (~(k >> 63) | Long.MIN_VALUE));
        }
    }

    /**
     * Quantiles by linear interpolation, exactly as numpy's {@code np.quantile(a, q)} (method 'linear'):
     * virtual index {@code (n-1) q}, then numpy's {@code _lerp}, which interpolates from the upper neighbour
     * when the weight is at least 0.5.
     */
    public static double[] quantiles(double[] sorted, double[] levels) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] out = new double[levels.length];
        int last = sorted.length - 1;
        for (int i = 0; i < levels.length; i++) {
            double virtual = last * levels[i];
            int below = (int) Math.floor(virtual);
            int lo = Math.min(Math.max(below, 0), last);
            int hi = Math.min(Math.max(below + 1, 0), last);
            double gamma = virtual - below;
            double a = sorted[lo];
            double b = sorted[hi];
            double diff = b - a;
            out[i] = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
        }
        return out;
    }

    /** The distinct values of an ascending array, in order. */
    public static double[] distinct(double[] sorted) {
        double[] out = new double[sorted.length];
        int n = 0;
        for (double v : sorted) {
            if (n == 0 || v != out[n - 1]) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Number of distinct values of an ascending array. */
    public static long distinctCount(double[] sorted) {
        long n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                n++;
            }
        }
        return n;
    }

    /** Number of values {@code <= x} in an ascending array ({@code np.searchsorted(a, x, 'right')}). */
    public static int countAtMost(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of values {@code < x} in an ascending array ({@code np.searchsorted(a, x, 'left')}). */
    public static int countBelow(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Counts in the right-closed bins {@code (-inf, e0], (e0, e1], ..., (e_last, +inf)}. */
    public static long[] binCounts(double[] sorted, double[] edges) {
        long[] counts = new long[edges.length + 1];
        int below = 0;
        for (int i = 0; i < edges.length; i++) {
            int upTo = countAtMost(sorted, edges[i]);
            counts[i] = upTo - below;
            below = upTo;
        }
        counts[edges.length] = sorted.length - below;
        return counts;
    }

    /** Mean and population standard deviation (two passes, compensated sums), as {@code {mean, std}}. */
    public static double[] meanAndStd(double[] values) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = CompensatedSum.of(values) / values.length;
        CompensatedSum squares = new CompensatedSum();
        for (double v : values) {
            double d = v - mean;
            squares.add(d * d);
        }
        return new double[] {mean, Math.sqrt(squares.value() / values.length)};
    }

    public static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    public static List<Long> boxed(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }
}
