package io.capstan.drift.internal;

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, ported from SciPy's {@code scipy.stats.ks_2samp} with
 * {@code method='auto'} ({@code scipy/stats/_stats_py.py}): the statistic from the two empirical CDFs at every
 * observed value (ties handled as SciPy's {@code searchsorted(side='right')}); the exact null distribution when
 * both samples have at most {@value #MAX_AUTO_N} values ({@code _attempt_exact_2kssamp}:
 * {@code _compute_prob_outside_square} for equal sizes, {@code _compute_outer_prob_inside_method} otherwise), and
 * otherwise, or when the exact computation fails, {@code kstwo.sf(d, round(n1 n2 / (n1 + n2)))}.
 */
public final class KolmogorovSmirnov {
    static final int MAX_AUTO_N = 10000;

    private KolmogorovSmirnov() {
    }

    /** The statistic D and p-value of two samples. */
    public record Result(double statistic, double pValue) {
    }

    /** D of two ascending samples, as {@code ks_2samp} computes it. */
    public static double statistic(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double max = 0;
        double min = 0;
        while (i < n1 || j < n2) {
            double x = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= x) {
                i++;
            }
            while (j < n2 && b[j] <= x) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            max = Math.max(max, diff);
            min = Math.min(min, diff);
        }
        return Math.max(max, Math.min(1, -min));
    }

    /** D and p-value of two ascending samples. */
    public static Result test(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("KS needs two non-empty samples");
        }
        return pValue(statistic(a, b), a.length, b.length);
    }

    /**
     * The p-value of statistic {@code d} for sample sizes n1 and n2, with the statistic SciPy reports (the exact
     * method rounds d to a multiple of 1 / lcm(n1, n2)).
     */
    public static Result pValue(double d, long n1, long n2) {
        if (Math.max(n1, n2) <= MAX_AUTO_N) {
            long g = gcd(n1, n2);
            long lcm = (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            d = (double) h / lcm;
            if (h == 0) {
                return new Result(d, 1.0);
            }
            double prob = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
            if (prob >= 0 && prob <= 1) {
                return new Result(d, prob);
            }
        }
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        double prob = KolmogorovDistribution.sf((int) Math.rint(en), d);
        return new Result(d, Math.min(1, Math.max(0, prob)));
    }

    /**
     * The p-value of statistic {@code d} for sample sizes n1 and n2 by Kolmogorov's limiting distribution:
     * {@code kstwobign.sf(sqrt(en) d)} with {@code en = n1 n2 / (n1 + n2)}. Constant time, whatever the sizes; it
     * differs from {@link #pValue}'s finite-sample value by a relative shift of order 1 / sqrt(en) in the argument.
     */
    public static double limitingPValue(double d, long n1, long n2) {
        double en = (double) n1 * n2 / ((double) n1 + n2);
        return KolmogorovDistribution.limitingSf(Math.sqrt(en) * d);
    }

    /** SciPy's {@code _compute_prob_outside_square(n, h)}: P(D_{n,n} >= h / n). */
    static double probOutsideSquare(long n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * SciPy's {@code _compute_outer_prob_inside_method(m, n, g, h)}: the share of lattice paths leaving the band
     * |x/m - y/n| < h / lcm(m, n), by Hodges' inside method with Viehmann's recursion for 1 - p.
     */
    static double outerProbInside(long m0, long n0, long g, long h) {
        long m = Math.max(m0, n0);
        long n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[lenA];
        java.util.Arrays.fill(a, 1.0);
        java.util.Arrays.fill(a, minj, maxj, 0.0);
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.min(Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0), n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                java.util.Arrays.fill(a, maxj - minj, Math.min(lenA, maxj - minj + (lastlen - curlen)), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
