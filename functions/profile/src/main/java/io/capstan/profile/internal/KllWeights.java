package io.capstan.profile.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * KLL sketches whose every item counts {@code 2^level} times: the sketch of a sample in which each value stands for
 * {@code 2^level} rows, made mergeable with sketches of weight-1 values.
 *
 * <p><b>Why not {@code update(item, weight)}.</b> DataSketches 6.2's weighted update builds and merges a whole sketch
 * per call (about 1.3 µs at k = 1000, 30 times an unweighted update), which would cost more than the values it saves.
 * Instead, the sampled values go into their own sketch by plain bulk updates, and at a flush that sketch is moved up
 * {@code level} levels: in KLL an item on level h weighs {@code 2^h}, so a sketch whose levels are renumbered h + level
 * (with {@code level} empty levels below, n multiplied by {@code 2^level}) is exactly the sketch that the stream with
 * each value repeated {@code 2^level} times would give, had those copies been compacted pairwise, which adds no error.
 * The result is then merged as usual ({@link KllDoublesSketch#merge}).
 *
 * <p><b>The one reach into DataSketches' internals</b> is the serialized layout of a compact sketch of more than one
 * item, as {@code KllPreambleUtil} documents it: a 20-byte preamble (n at byte 8, the number of levels at byte 18),
 * the levels array without its top entry, min, max, the retained items. The top entry is the total capacity of the
 * levels, {@code sum max(m, round(k (2/3)^depth))} ({@link #capacity}); the new levels array keeps the retained items'
 * offsets from that top. The old level 0, which KLL keeps unsorted, is sorted, since every level above 0 must be.
 * {@code KllWeightsTest} checks the layout against the library, so an upgrade that changes it fails there.
 */
final class KllWeights {
    private static final int PREAMBLE_BYTES = 20;
    private static final int N_AT = 8;
    private static final int LEVELS_COUNT_AT = 18;
    private static final int K_AT = 4;
    private static final int M_AT = 6;
    private static final long[] POWERS_OF_THREE = powersOfThree();

    private KllWeights() {
    }

    /**
     * {@code sketch}'s items, each weighing {@code 2^level} times its weight there. An empty sketch stays empty.
     *
     * @throws IllegalStateException if the serialized layout is not the one this class knows (a library upgrade)
     */
    static KllDoublesSketch weighted(KllDoublesSketch sketch, int level) {
        if (level == 0 || sketch.isEmpty()) {
            return sketch;
        }
        if (sketch.getN() == 1) {
            KllDoublesSketch one = KllDoublesSketch.newHeapInstance(sketch.getK());
            one.update(sketch.getMinItem(), 1L << level);
            return one;
        }
        ByteBuffer in = ByteBuffer.wrap(sketch.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int levels = in.get(LEVELS_COUNT_AT) & 0xff;
        int k = in.getShort(K_AT) & 0xffff;
        int m = in.get(M_AT) & 0xff;
        int itemsAt = PREAMBLE_BYTES + Integer.BYTES * levels + 2 * Double.BYTES;
        int retained = (in.capacity() - itemsAt) / Double.BYTES;
        int[] offsets = new int[levels + 1];
        for (int h = 0; h < levels; h++) {
            offsets[h] = in.getInt(PREAMBLE_BYTES + Integer.BYTES * h);
        }
        offsets[levels] = offsets[0] + retained;
        if (in.get(0) != 5 || retained != sketch.getNumRetained() || offsets[levels] != capacity(k, m, levels)) {
            throw new IllegalStateException("DataSketches' compact KLL layout is not the one KllWeights knows: "
                    + Arrays.toString(offsets) + ", " + retained + " items retained");
        }
        int grow = capacity(k, m, levels + level) - offsets[levels];
        ByteBuffer out = ByteBuffer.allocate(in.capacity() + Integer.BYTES * level).order(ByteOrder.LITTLE_ENDIAN);
        out.put(in.array(), 0, PREAMBLE_BYTES);
        out.putLong(N_AT, sketch.getN() << level);
        out.put(LEVELS_COUNT_AT, (byte) (levels + level));
        for (int h = 0; h < level; h++) {
            out.putInt(offsets[0] + grow);
        }
        for (int h = 0; h < levels; h++) {
            out.putInt(offsets[h] + grow);
        }
        double[] items = new double[retained];
        in.position(itemsAt - 2 * Double.BYTES);
        double min = in.getDouble();
        double max = in.getDouble();
        in.asDoubleBuffer().get(items);
        Arrays.sort(items, 0, offsets[1] - offsets[0]); // the old level 0
        out.putDouble(min).putDouble(max);
        out.asDoubleBuffer().put(items);
        return KllDoublesSketch.heapify(Memory.wrap(out.array()));
    }

    /** The items KLL's levels hold at most, {@code levels} levels at k and m (DataSketches' {@code KllHelper}). */
    static int capacity(int k, int m, int levels) {
        int total = 0;
        for (int h = 0; h < levels; h++) {
            total += Math.max(m, levelCapacity(k, levels - h - 1));
        }
        return total;
    }

    /** {@code round(k (2/3)^depth)} in integers, as KLL computes it. */
    private static int levelCapacity(int k, int depth) {
        if (depth <= 30) {
            return capacityAux(k, depth);
        }
        int half = depth / 2;
        return capacityAux(capacityAux(k, half), depth - half);
    }

    private static int capacityAux(long k, int depth) {
        long twiceK = k << 1;
        return (int) ((((twiceK << depth) / POWERS_OF_THREE[depth]) + 1L) >>> 1);
    }

    private static long[] powersOfThree() {
        long[] powers = new long[31];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = powers[i - 1] * 3;
        }
        return powers;
    }
}
