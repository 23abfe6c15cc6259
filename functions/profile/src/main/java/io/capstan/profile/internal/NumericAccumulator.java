package io.capstan.profile.internal;

import io.capstan.profile.NumericFeatureProfile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Folds blocks of one numeric column into a KLL sketch plus count, missing count, mean and sum of squared
 * deviations (Chan et al.'s pairwise update, so merging two accumulators is exact up to rounding).
 */
public final class NumericAccumulator {
    private final KllDoublesSketch kll;
    private long count;
    private long missing;
    private double mean;
    private double m2;

    public NumericAccumulator(int k) {
        this(KllDoublesSketch.newHeapInstance(k));
    }

    private NumericAccumulator(KllDoublesSketch kll) {
        this.kll = kll;
    }

    /** Folds {@code block[0..n)}; NaN counts as missing. The block is reordered (present values first). */
    public void add(double[] block, int n) {
        int present = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = block[i];
            if (v == v) {
                block[present++] = v;
                sum += v;
            }
        }
        missing += n - present;
        if (present == 0) {
            return;
        }
        double blockMean = sum / present;
        double blockM2 = 0;
        for (int i = 0; i < present; i++) {
            double d = block[i] - blockMean;
            blockM2 += d * d;
        }
        combine(present, blockMean, blockM2);
        kll.update(block, 0, present);
    }

    public void merge(NumericAccumulator other) {
        missing += other.missing;
        if (other.count > 0) {
            combine(other.count, other.mean, other.m2);
            kll.merge(other.kll);
        }
    }

    private void combine(long n, double otherMean, double otherM2) {
        long total = count + n;
        double delta = otherMean - mean;
        mean += delta * n / total;
        m2 += otherM2 + delta * delta * ((double) count * n / total);
        count = total;
    }

    public NumericFeatureProfile toProfile(String name) {
        if (count == 0) {
            return new NumericFeatureProfile(name, 0, missing, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    null, kll.toByteArray());
        }
        return new NumericFeatureProfile(name, count, missing, null, mean, Math.sqrt(m2 / count), kll.getMinItem(),
                kll.getMaxItem(), null, kll.toByteArray());
    }

    public void write(DataOutput out) throws IOException {
        out.writeLong(count);
        out.writeLong(missing);
        out.writeDouble(mean);
        out.writeDouble(m2);
        byte[] bytes = kll.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static NumericAccumulator read(DataInput in, String feature) throws IOException {
        long count = in.readLong();
        long missing = in.readLong();
        double mean = in.readDouble();
        double m2 = in.readDouble();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NumericAccumulator acc = new NumericAccumulator(KllCodec.read(bytes, feature));
        acc.count = count;
        acc.missing = missing;
        acc.mean = mean;
        acc.m2 = m2;
        return acc;
    }
}
