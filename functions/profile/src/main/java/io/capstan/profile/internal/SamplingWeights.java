package io.capstan.profile.internal;

import io.capstan.profile.InvalidProfileException;
import io.capstan.profile.Sampling;

/** A column's {@link Sampling} as it accumulates: V and S, both 0 while nothing was sampled. */
public final class SamplingWeights {
    private double squares;
    private double weight;

    /** Adds {@code values} sampled values of weight {@code 2^level}; level 0 (a row alone) adds nothing. */
    public void add(long values, int level) {
        if (level > 0) {
            double w = 1L << level;
            squares += values * w * w;
            weight += values * w;
        }
    }

    public void merge(SamplingWeights other) {
        squares += other.squares;
        weight += other.weight;
    }

    /** The column's sampling; null when nothing was sampled. */
    public Sampling sampling() {
        return squares == 0 ? null : new Sampling(squares, weight);
    }

    /** Whether some values were sampled. */
    public boolean any() {
        return squares != 0;
    }

    /** V and S, zeros when nothing was sampled (the binary form's version 3). */
    public void write(java.io.DataOutput out) throws java.io.IOException {
        out.writeDouble(squares);
        out.writeDouble(weight);
    }

    /** Reads {@link #write}'s two numbers, as a stored profile holds them. */
    public void read(java.io.DataInput in, String feature) throws java.io.IOException {
        double v = in.readDouble();
        double s = in.readDouble();
        if (v != 0 || s != 0) {
            try {
                new Sampling(v, s);
            } catch (InvalidProfileException e) {
                throw new InvalidProfileException("Feature '" + feature + "': " + e.getMessage(), e);
            }
        }
        squares = v;
        weight = s;
    }
}
