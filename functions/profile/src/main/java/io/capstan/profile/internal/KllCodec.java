package io.capstan.profile.internal;

import io.capstan.profile.InvalidProfileException;
import org.apache.datasketches.common.SketchesArgumentException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/** Reads KLL sketches from their serialized form, turning library failures into profile errors. */
public final class KllCodec {
    private KllCodec() {
    }

    public static KllDoublesSketch read(byte[] bytes, String feature) {
        try {
            return KllDoublesSketch.heapify(Memory.wrap(bytes));
        } catch (SketchesArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidProfileException("Feature '" + feature + "' KLL sketch is not a valid serialized"
                    + " KLL doubles sketch: " + e.getMessage(), e);
        }
    }

    /** 0 while the sketch still holds every value it saw (exact), else its normalized rank error bound. */
    public static double rankError(KllDoublesSketch sketch) {
        return sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0.0;
    }
}
