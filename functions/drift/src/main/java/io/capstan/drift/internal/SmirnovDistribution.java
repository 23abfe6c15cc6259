package io.capstan.drift.internal;

/**
 * Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic D+_n: a port of SciPy's
 * {@code scipy.special.smirnov} ({@code scipy/special/cephes/kolmogorov.c}: {@code _smirnov}, {@code modNX},
 * {@code computeAv}, {@code pow2Scaled_D}), with its term selection, early stop and large-n approximation, so
 * that two-sample KS p-values match {@code scipy.stats.ks_2samp}. SciPy keeps some intermediates in double-double;
 * here the bases of the large powers are kept as a (hi, lo) pair and the rest in double with separate binary
 * exponents, which agrees with SciPy to about 1e-12 relative. Lower sums of more than {@value #WINDOWED_MIN_TERMS}
 * terms go to {@link SmirnovLowerSum}, which sums only the terms that matter (a long run of them by Euler-Maclaurin,
 * in work that does not grow with n), with a stated bound on the rest.
 */
final class SmirnovDistribution {
    private static final int MAX_COMPUTE_N = 1_000_000;
    /** Above this many terms the lower sum goes to {@link SmirnovLowerSum}. */
    static final int WINDOWED_MIN_TERMS = 1000;
    private static final int UPPER_MAX_TERMS = 3;
    private static final int UPPER_SUM_MIN_N = 10;
    private static final double MIN_LOG = -7.451332191019412076235E2;
    private static final double EPSILON = Math.ulp(1.0);

    private SmirnovDistribution() {
    }

    /** P(D+_n >= x). */
    static double sf(int n, double x) {
        if (Double.isNaN(x) || n <= 0 || x < 0 || x > 1) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        // modNX: floor(n x) and its remainder, exactly
        double nxHi = n * x;
        double nxLo = Math.fma(n, x, -nxHi);
        double floorHi = Math.floor(nxHi);
        long nxfl;
        double alpha;
        if (floorHi == nxHi) {
            nxfl = (long) floorHi + (long) Math.floor(nxLo);
            alpha = (nxHi - (double) nxfl) + nxLo;
        } else {
            nxfl = (long) floorHi;
            alpha = (nxHi - floorHi) + nxLo;
        }
        if (alpha == 1) {
            nxfl += 1;
            alpha = 0;
        }
        long n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        long n1mxceil = n - nxfl;
        if (alpha == 0) {
            n1mxfl -= 1;
            n1mxceil += 1;
        }
        if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
            double t = pow(1, x, n - 1);
            return KolmogorovDistribution.clip(1 - x * t);
        }
        if (-2 * n * x * x < MIN_LOG) {
            return 0.0;
        }
        if (nxfl >= n - 1) {
            return KolmogorovDistribution.clip(pow(1, -x, n));
        }
        if (n > MAX_COMPUTE_N) {
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            if (logp < -Math.log(2)) {
                return KolmogorovDistribution.clip(Math.exp(logp));
            }
            return KolmogorovDistribution.clip(1 - (-Math.expm1(logp)));
        }
        long upperTerms = n - n1mxceil + 1;
        boolean upper = (upperTerms <= 1 && x < 0.5)
                || (n >= UPPER_SUM_MIN_N && upperTerms <= UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));
        if (upper) {
            return KolmogorovDistribution.clip(1 - x * upperSum(n, x, (int) upperTerms));
        }
        return KolmogorovDistribution.clip(n1mxfl + 1 > WINDOWED_MIN_TERMS ? SmirnovLowerSum.sum(n, x, n1mxfl)
                : x * lowerSum(n, x, (int) (n1mxfl + 1)));
    }

    private static double lowerSum(int n, double x, int terms) {
        return sum(n, x, 0, 1, terms, pow(1, -x, n) / x);
    }

    private static double upperSum(int n, double x, int terms) {
        return sum(n, x, n, -1, terms, pow(1, x, n - 1));
    }

    private static double sum(int n, double x, int start, int step, int terms, double first) {
        double sum = first;
        double compensation = 0;
        double[] binomial = {1.0, 0};
        updateBinomial(binomial, n, 0);
        int vmid = n / 2;
        for (int j = 1; j < terms; j++) {
            int v = start + j * step;
            double term = term(n, x, v, binomial);
            if (Double.isFinite(term) && term != 0) {
                double t = sum + term;
                compensation += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
                sum = t;
            }
            if (term != 0) {
                if (4.0 * (terms - j) * Math.abs(term) < EPSILON * (sum + compensation) && j != terms - 1) {
                    break;
                }
            } else if (j > vmid) {
                break;
            }
            updateBinomial(binomial, n, j);
        }
        return sum + compensation;
    }

    /** A_v = C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), from SciPy's computeAv. */
    private static double term(int n, double x, int v, double[] binomial) {
        double[] t2x = twoSum(twoDiv(n - v, n), -x);
        double[] t1x = twoSum(twoDiv(v, n), x);
        double[] t2 = scaledPow(t2x, n - v);
        double[] t1 = scaledPow(t1x, v - 1);
        double mantissa = t1[0] * t2[0] * binomial[0];
        return Math.scalb(mantissa, (int) (binomial[1] + t1[1] + t2[1]));
    }

    /** binomial = (mantissa, exponent) of C(n, j+1) from C(n, j). */
    private static void updateBinomial(double[] binomial, int n, int j) {
        double[] rat = twoDiv(n - j, j + 1.0);
        double m = binomial[0] * rat[0] + binomial[0] * rat[1];
        int e = Math.getExponent(m) + 1;
        binomial[0] = Math.scalb(m, -e);
        binomial[1] += e;
    }

    /** (a + b)^m as a double, with the base kept as a (hi, lo) pair (SciPy's pow2 / pow_D). */
    private static double pow(double a, double b, long m) {
        double[] base = twoSum(new double[] {a, 0}, b);
        double[] scaled = scaledPow(base, m);
        return Math.scalb(scaled[0], (int) scaled[1]);
    }

    /** (hi + lo)^m as {mantissa in [0.5, 1), binary exponent}: pow() of hi in chunks that cannot underflow. */
    private static double[] scaledPow(double[] base, long m) {
        if (m == 0) {
            return new double[] {0.5, 1};
        }
        double hi = base[0];
        double lo = base[1];
        if (hi == 0) {
            return new double[] {0, 0};
        }
        int yE = Math.getExponent(hi) + 1;
        double y = Math.scalb(hi, -yE);
        double r = lo / hi;
        double[] acc = {0.5, 1};
        double[] power = {y, 0};
        for (long e = m; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                multiply(acc, power[0]);
                acc[1] += power[1];
            }
            if (e > 1) {
                double sq = power[0] * power[0];
                int se = Math.getExponent(sq) + 1;
                power[0] = Math.scalb(sq, -se);
                power[1] = 2 * power[1] + se;
            }
        }
        double adj = m * r;
        if (Math.abs(adj) > 1e-8) {
            adj = Math.abs(adj) < 1e-4 ? adj + (m * r) * ((m - 1) / 2.0 * r) : Math.expm1(m * Math.log1p(r));
        }
        multiply(acc, 1 + adj);
        acc[1] += (double) m * yE;
        return acc;
    }

    private static void multiply(double[] acc, double factor) {
        double v = acc[0] * factor;
        int e = Math.getExponent(v) + 1;
        acc[0] = Math.scalb(v, -e);
        acc[1] += e;
    }

    /** a / b as an unevaluated (hi, lo) sum. */
    private static double[] twoDiv(double a, double b) {
        double q = a / b;
        double r = Math.fma(-q, b, a);
        return new double[] {q, r / b};
    }

    /** (hi, lo) + b. */
    private static double[] twoSum(double[] a, double b) {
        double s = a[0] + b;
        double bb = s - a[0];
        double err = (a[0] - (s - bb)) + (b - bb);
        double lo = err + a[1];
        double hi = s + lo;
        return new double[] {hi, lo - (hi - s)};
    }

}
