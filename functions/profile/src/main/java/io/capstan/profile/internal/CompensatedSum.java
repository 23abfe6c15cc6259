package io.capstan.profile.internal;

/** Neumaier's compensated summation: sums of millions of terms stay within a few ulps of the exact sum. */
public final class CompensatedSum {
    private double sum;
    private double compensation;

    public void add(double x) {
        double t = sum + x;
        if (Math.abs(sum) >= Math.abs(x)) {
            compensation += (sum - t) + x;
        } else {
            compensation += (x - t) + sum;
        }
        sum = t;
    }

    public double value() {
        return sum + compensation;
    }

    public static double of(double[] values) {
        CompensatedSum s = new CompensatedSum();
        for (double v : values) {
            s.add(v);
        }
        return s.value();
    }
}
