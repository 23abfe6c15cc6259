package io.capstan.trainer.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Z-score scaling computed from the training rows, applied outside the Tribuo model and exported into the ONNX
 * graph as {@code Sub(mean)} then {@code Div(scale)}. A column whose standard deviation is zero (constant) or not
 * representable as a normal float gets scale 1, so it maps to {@code x - mean} and never to NaN or infinity.
 *
 * <p>{@link #apply} computes in float, operation for operation as ONNX Runtime does, so Tribuo sees exactly the
 * values the exported graph feeds its model.
 *
 * @param means  per feature, the training mean as a float
 * @param scales per feature, the training (population) standard deviation as a float, or 1
 */
public record Standardization(float[] means, float[] scales) {

    public Standardization {
        means = means.clone();
        scales = scales.clone();
        if (means.length != scales.length) {
            throw new IllegalArgumentException(means.length + " means but " + scales.length + " scales");
        }
    }

    /** The scaling of the given rows (all of the same width, at least one). */
    public static Standardization fit(List<double[]> rows) {
        int width = rows.get(0).length;
        float[] means = new float[width];
        float[] scales = new float[width];
        for (int column = 0; column < width; column++) {
            double sum = 0;
            for (double[] row : rows) {
                sum += row[column];
            }
            double mean = sum / rows.size();
            double squares = 0;
            for (double[] row : rows) {
                double deviation = row[column] - mean;
                squares += deviation * deviation;
            }
            float scale = (float) Math.sqrt(squares / rows.size());
            means[column] = (float) mean;
            scales[column] = Float.isFinite(scale) && scale >= Float.MIN_NORMAL ? scale : 1f;
        }
        return new Standardization(means, scales);
    }

    /** The scaled row, as the exported graph computes it. */
    public double[] apply(double[] row) {
        double[] scaled = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            float centred = (float) row[i] - means[i];
            scaled[i] = centred / scales[i];
        }
        return scaled;
    }

    @Override
    public float[] means() {
        return means.clone();
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Standardization that && Arrays.equals(means, that.means)
                && Arrays.equals(scales, that.scales);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "Standardization" + Arrays.toString(means) + Arrays.toString(scales);
    }
}
