package io.capstan.drift.internal;

/**
 * The lower sum of {@code scipy.special.smirnov}, {@code P(D+_n >= x) = x * sum_{v=0}^{last} A_v} with
 * {@code A_v = C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)}, summed from its largest terms outwards and stopped
 * once the rest cannot matter, so that a large n costs the terms that carry the sum, not all of them.
 *
 * <p>Each term is {@code x A_v = (x / a) b(v; n, a)} with {@code a = x + v/n} and {@code b} the binomial
 * probability, evaluated in log space in Loader's saddle-point form ({@code stirlerr} and {@code bd0}, as in R's
 * {@code dbinom}), which keeps about 1e-14 relative accuracy per term at any n. <b>Tail bound</b>: since
 * {@code x / a <= 1} and {@code v / n < a}, the Chernoff bound gives
 * {@code x A_v <= P(Bin(n, a) <= v) <= exp(-n g(v/n))} with {@code g(p) = K(p || p + x)}, the Kullback-Leibler
 * divergence of two Bernoulli laws. {@code g} is convex in p (K is jointly convex and {@code p -> (p, p + x)} is
 * affine), so {@code g(p1 + k/n) >= g(p1) + g'(p1) k / n} and the terms from v1 on, walking in direction s = +-1,
 * add up to at most {@code exp(-n g(p1)) / (1 - exp(-s g'(p1)))} whenever {@code s g'(p1) > 0}. A direction stops
 * when that bound is below {@value #RELATIVE_TAIL} times the sum so far, so the two tails left out are together
 * below 2e-13 of the result. SciPy adds every term from v = 0 up; the terms left out here are below that bound, so
 * the results agree to rounding (about 1e-13 relative).
 *
 * <p>The terms that carry the sum span about {@code n / sqrt(n x^2)} values of v around {@code n (1 - x) / 2}, so
 * for a fixed p-value (fixed {@code n x^2}) the work still grows linearly in n, but with a constant some 10 times
 * smaller per term than the exact port, and fewer terms the smaller the p-value.
 */
final class SmirnovLowerSum {
    static final double RELATIVE_TAIL = 1e-13;
    private static final int CHECK_EVERY = 32;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double[] SMALL_STIRLERR = smallStirlerr();

    private SmirnovLowerSum() {
    }

    /** {@code x * sum_{v=0}^{last} A_v}, for {@code 0 < x < 1} and {@code 0 <= last < n (1 - x)}. */
    static double sum(int n, double x, long last) {
        double nx = n * x;
        long start = Math.min(last, Math.max(0, (long) Math.floor(n * (1 - x) / 2)));
        double ref = logTerm(n, x, nx, start);
        double sum = 1;
        double compensation = 0;
        for (int s = 1; s >= -1; s -= 2) {
            for (long v = s > 0 ? start + 1 : start - 1; v >= 0 && v <= last; v += s) {
                double t = Math.exp(logTerm(n, x, nx, v) - ref);
                double next = sum + t;
                compensation += sum >= t ? (sum - next) + t : (t - next) + sum;
                sum = next;
                if ((v - start) % CHECK_EVERY == 0 && tailBelow(n, nx, v + s, s, ref + Math.log(sum))) {
                    break;
                }
            }
        }
        return Math.exp(ref + Math.log(sum + compensation));
    }

    /** Whether the terms from {@code v1} on in direction {@code s} add up to less than the tail share of the sum. */
    private static boolean tailBelow(int n, double nx, long v1, int s, double logSum) {
        if (v1 < 0 || v1 >= n - nx) {
            return true;
        }
        double up = v1 + nx;
        double down = n - v1 - nx;
        double slope = (v1 == 0 ? Double.NEGATIVE_INFINITY : Math.log(v1 * down / (up * (n - v1))))
                + (n - v1) / down - v1 / up;
        if (s * slope <= 0) {
            return false;
        }
        double logBound = -(bd0(v1, up) + bd0(n - v1, down)) - Math.log(-Math.expm1(-s * slope));
        return logBound < logSum + Math.log(RELATIVE_TAIL);
    }

    /** log(x A_v) = log(x / a) + log b(v; n, a), a = x + v/n, in Loader's form. */
    static double logTerm(int n, double x, double nx, long v) {
        double up = v + nx;
        double down = n - v - nx;
        if (v == 0) {
            return n * Math.log1p(-x);
        }
        double logBinomial = stirlerr(n) - stirlerr(v) - stirlerr(n - v) - bd0(v, up) - bd0(n - v, down)
                + 0.5 * Math.log((double) n / ((double) v * (n - v))) - HALF_LOG_2PI;
        return Math.log(nx / up) + logBinomial;
    }

    /** log(k!) - ((k + 1/2) log k - k + log sqrt(2 pi)), the error of Stirling's formula. */
    static double stirlerr(long k) {
        if (k <= 15) {
            return SMALL_STIRLERR[(int) k];
        }
        double n = k;
        double nn = n * n;
        double s0 = 1.0 / 12;
        double s1 = 1.0 / 360;
        double s2 = 1.0 / 1260;
        double s3 = 1.0 / 1680;
        double s4 = 1.0 / 1188;
        if (k > 500) {
            return (s0 - s1 / nn) / n;
        }
        if (k > 80) {
            return (s0 - (s1 - s2 / nn) / nn) / n;
        }
        if (k > 35) {
            return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
        }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
    }

    /** {@code x log(x / m) + m - x}, without cancellation when x is near m (Loader's bd0). */
    static double bd0(double x, double m) {
        if (Math.abs(x - m) < 0.1 * (x + m)) {
            double v = (x - m) / (x + m);
            double s = (x - m) * v;
            double ej = 2 * x * v;
            double v2 = v * v;
            for (int j = 1; j < 1000; j++) {
                ej *= v2;
                double next = s + ej / (2 * j + 1);
                if (next == s) {
                    return next;
                }
                s = next;
            }
            return s;
        }
        return x * Math.log(x / m) + m - x;
    }

    private static double[] smallStirlerr() {
        double[] out = new double[16];
        double logFactorial = 0;
        for (int k = 1; k <= 15; k++) {
            logFactorial += Math.log(k);
            out[k] = logFactorial - (k + 0.5) * Math.log(k) + k - HALF_LOG_2PI;
        }
        return out;
    }
}
