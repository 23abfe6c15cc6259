package io.capstan.drift.internal;

/**
 * Pr(D_n <= d) for the two-sided one-sample KS statistic by Durbin's matrix algorithm as Marsaglia, Tsang and
 * Wang compute it: a port of SciPy's {@code scipy/stats/_ksstats.py: _kolmogn_DMTW}, with its power-of-two
 * rescaling so the matrix power neither overflows nor underflows.
 */
final class DurbinMatrix {
    private static final double EP128 = 0x1p128;
    private static final double EM128 = 0x1p-128;

    private DurbinMatrix() {
    }

    /** Pr(D_n <= d), Durbin's matrix algorithm as Marsaglia, Tsang and Wang compute it (_kolmogn_DMTW). */
    static double cdf(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] = (1.0 - Math.pow(h, j)) * fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - i + 1];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = identity(m);
        int nn = n;
        int expnt = 0;
        int hExpnt = 0;
        while (nn > 0) {
            if (nn % 2 == 1) {
                power = multiply(power, hm);
                expnt += hExpnt;
            }
            hm = multiply(hm, hm);
            hExpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= EP128;
                    }
                }
                hExpnt += 128;
            }
            nn /= 2;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                expnt -= 128;
            }
        }
        return KolmogorovDistribution.clip(expnt != 0 ? Math.scalb(p, expnt) : p);
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] out = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] row = out[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail != 0) {
                    double[] bl = b[l];
                    for (int j = 0; j < m; j++) {
                        row[j] += ail * bl[j];
                    }
                }
            }
        }
        return out;
    }

}
