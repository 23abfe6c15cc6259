package io.capstan.profile.internal;

import io.capstan.profile.NumericFeatureProfile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Folds blocks of one numeric column into a KLL sketch plus count, missing count, mean and sum of squared
 * deviations (Chan et al.'s pairwise update, so merging two accumulators is exact up to rounding).
 *
 * <p><b>Sampled values.</b> A block may be a sample in which each value stands for {@code 2^level} rows
 * ({@link #add(double[], int, int)}): counts, mean and variance weigh it so, and its values go into a sketch of their
 * level, moved up into the main sketch when it is read or written ({@link KllWeights}). The sampling error this adds
 * is kept as the sum of the squared weights of the sampled values ({@link SamplingWeights}).
 */
public final class NumericAccumulator {
    private final KllDoublesSketch kll;
    private final KllDoublesSketch[] sampled = new KllDoublesSketch[Long.SIZE - 1];
    private long count;
    private long missing;
    private double mean;
    private double m2;
    private final SamplingWeights sampling = new SamplingWeights();

    public NumericAccumulator(int k) {
        this(KllDoublesSketch.newHeapInstance(k));
    }

    private NumericAccumulator(KllDoublesSketch kll) {
        this.kll = kll;
    }

    /** Folds {@code block[0..n)}; NaN counts as missing. The block is reordered (present values first). */
    public void add(double[] block, int n) {
        add(block, n, 0);
    }

    /**
     * Folds {@code block[0..n)}, each value standing for {@code 2^level} rows; NaN counts as missing. The block is
     * reordered (present values first).
     */
    public void add(double[] block, int n, int level) {
        long weight = 1L << level;
        int present = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = block[i];
            if (v == v) {
                block[present++] = v;
                sum += v;
            }
        }
        missing += (n - present) * weight;
        if (present == 0) {
            return;
        }
        double blockMean = sum / present;
        double blockM2 = 0;
        for (int i = 0; i < present; i++) {
            double d = block[i] - blockMean;
            blockM2 += d * d;
        }
        combine(present * weight, blockMean, blockM2 * weight);
        if (level == 0) {
            kll.update(block, 0, present);
            return;
        }
        sampling.add(present, level);
        if (sampled[level] == null) {
            sampled[level] = KllDoublesSketch.newHeapInstance(kll.getK());
        }
        sampled[level].update(block, 0, present);
    }

    public void merge(NumericAccumulator other) {
        settle();
        other.settle();
        missing += other.missing;
        sampling.merge(other.sampling);
        if (other.count > 0) {
            combine(other.count, other.mean, other.m2);
            kll.merge(other.kll);
        }
    }

    /** The column's sampling so far (read and written with the profile's binary form). */
    public SamplingWeights sampling() {
        return sampling;
    }

    /** Moves the sampled values' sketches into the main one, weighted. */
    private void settle() {
        for (int level = 1; level < sampled.length; level++) {
            if (sampled[level] != null && !sampled[level].isEmpty()) {
                kll.merge(KllWeights.weighted(sampled[level], level));
                sampled[level] = null;
            }
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
        settle();
        if (count == 0) {
            return new NumericFeatureProfile(name, 0, missing, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    null, kll.toByteArray());
        }
        return new NumericFeatureProfile(name, count, missing, null, mean, Math.sqrt(m2 / count), kll.getMinItem(),
                kll.getMaxItem(), null, kll.toByteArray(), sampling.sampling());
    }

    public void write(DataOutput out) throws IOException {
        settle();
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
