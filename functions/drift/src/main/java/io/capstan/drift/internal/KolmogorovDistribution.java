package io.capstan.drift.internal;

/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n: a port of SciPy's
 * {@code scipy.stats.kstwo.sf}, that is {@code scipy/stats/_ksstats.py: _kolmogn(n, x, cdf=False)} with
 * {@link DurbinMatrix}, {@link PomeranzRecursion} and {@code _kolmogn_PelzGood}, including SciPy's choice of
 * method by n and n x^2 (Simard and L'Ecuyer's recipe). {@code ks_2samp}'s asymptotic mode calls it with
 * {@code n = round(n1 n2 / (n1 + n2))}.
 */
final class KolmogorovDistribution {
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double PI2 = Math.PI * Math.PI;
    private static final double PI4 = PI2 * PI2;
    private static final double PI6 = PI4 * PI2;
    private static final double[] STIRLING = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private KolmogorovDistribution() {
    }

    /** P(D_n > x). */
    static double sf(int n, double x) {
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (int i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - prob);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * SmirnovDistribution.sf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1.0 - DurbinMatrix.cdf(n, x));
            }
            if (nxSquared <= 4) {
                return clip(1.0 - PomeranzRecursion.cdf(n, x));
            }
            return clip(2 * SmirnovDistribution.sf(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * SmirnovDistribution.sf(n, x));
        }
        double cdf = n <= 100000 && n * Math.pow(x, 1.5) <= 1.4 ? DurbinMatrix.cdf(n, x) : pelzGood(n, x);
        return clip(1.0 - cdf);
    }

    /**
     * P(sqrt(n) D_n > y) in the limit of large n: a port of SciPy's {@code scipy.special.kolmogorov(y)}
     * ({@code kstwobign.sf}), cephes {@code _kolmogorov}: two series, switching at y = 0.82. Constant time.
     */
    static double limitingSf(double y) {
        if (Double.isNaN(y)) {
            return Double.NaN;
        }
        if (y <= 0 || y <= Math.PI / Math.sqrt(746 * 8.0)) {
            return 1.0;
        }
        if (y <= 0.82) {
            double w = Math.sqrt(2 * Math.PI) / y;
            double logu8 = -Math.PI * Math.PI / (y * y);
            double u = Math.exp(logu8 / 8);
            double cdf;
            if (u == 0) {
                cdf = Math.exp(logu8 / 8 + Math.log(w));
            } else {
                double u8 = Math.exp(logu8);
                double p = 1.0;
                p = 1 + Math.pow(u8, 3) * p;
                p = 1 + u8 * u8 * p;
                p = 1 + u8 * p;
                cdf = w * u * p;
            }
            return clip(1 - cdf);
        }
        double v = Math.exp(-2 * y * y);
        double v3 = Math.pow(v, 3);
        double p = 1.0;
        p = 1 - v3 * v3 * v * p;
        p = 1 - v3 * v * v * p;
        p = 1 - v3 * p;
        return clip(2 * v * p);
    }

    private static double logFactorialOverPower(int n) {
        double rn = 1.0 / n;
        double poly = 0;
        for (double c : STIRLING) {
            poly = poly * (rn / n) + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /** Pelz-Good approximation of Pr(D_n <= x) (_kolmogn_PelzGood). */
    static double pelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qlog = -PI2 / 8 / z2;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = PI2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
        double k2c = PI4 * (1 - 2 * z2) / 16;
        double k3d = PI6 * (5 - 30 * z2) / 64;
        double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] k = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int kk = maxk; kk > 0; kk--) {
            double m = 2 * kk - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qpower = Math.pow(q, 8 * kk);
            double[] coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                k3a + k3b * m2 + k3c * m4 + k3d * m6};
            for (int i = 0; i < 4; i++) {
                k[i] = k[i] * qpower + coeffs[i];
            }
        }
        double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            k[i] = k[i] * q * SQRT2PI / divisors[i];
        }
        q = Math.exp(-PI2 / 2 / z2);
        double sqrt3z = Math.sqrt(3) * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int kk = maxk; kk > 0; kk--) {
            double ksq = (double) kk * kk;
            double qp = Math.pow(q, ksq);
            double kspi = Math.PI * kk;
            k2extra += ksq * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
        }
        k[2] += k2extra * (PI2 * SQRT2PI / (-36 * z3));
        k[3] += k3extra * (PI2 * SQRT2PI / (216 * z6));
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += k[i] / Math.pow(n * 1.0, i / 2.0);
        }
        return sum;
    }

    /** p clipped to [0, 1], as SciPy's np.clip(p, 0, 1). */
    static double clip(double p) {
        return Math.min(1, Math.max(0, p));
    }
}
