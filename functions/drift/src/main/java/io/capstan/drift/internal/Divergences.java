package io.capstan.drift.internal;

/**
 * PSI and Jensen-Shannon distance of two binned distributions, with the bounds sketch mode reports when each
 * proportion is only known within +-delta.
 *
 * <p>PSI: {@code sum_i (q_i - p_i) ln(q_i / p_i)} over the bins, natural log, where a proportion of exactly 0 is
 * replaced by {@value #PSI_EPSILON} (no renormalization), p the reference and q the current proportions.
 *
 * <p>Jensen-Shannon: as Evidently's {@code jensenshannon} stattest: zero proportions are first filled as
 * Evidently's {@code get_binned_data(feel_zeroes=True)} does (the smallest non-zero proportion / 1e6 if that is at
 * most 1e-4, else 1e-4), then SciPy's {@code scipy.spatial.distance.jensenshannon(p, q)}: both renormalized to sum
 * 1, natural log, the distance {@code sqrt(JSD)}, between 0 and sqrt(ln 2) = 0.833.
 */
public final class Divergences {
    /** Stand-in for an empty bin in PSI. */
    public static final double PSI_EPSILON = 1e-4;

    private Divergences() {
    }

    public static double psi(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] == 0 ? PSI_EPSILON : p[i];
            double qi = q[i] == 0 ? PSI_EPSILON : q[i];
            sum += (qi - pi) * Math.log(qi / pi);
        }
        return sum;
    }

    /**
     * Largest change of {@link #psi} when each current proportion moves by at most {@code deltaQ} (reference exact):
     * per bin, the term's derivative {@code ln(q/p) + 1 - p/q} is increasing in q, so its largest magnitude over
     * [q - d, q + d] (clamped to [epsilon, 1]) is at an end; the sum of those times d bounds the change.
     */
    public static double psiBound(double[] p, double[] q, double deltaQ) {
        if (deltaQ == 0) {
            return 0;
        }
        double bound = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] == 0 ? PSI_EPSILON : p[i];
            double lo = Math.max(PSI_EPSILON, q[i] - deltaQ);
            double hi = Math.min(1, Math.max(PSI_EPSILON, q[i] + deltaQ));
            double slope = Math.max(Math.abs(Math.log(lo / pi) + 1 - pi / lo), Math.abs(Math.log(hi / pi) + 1 - pi / hi));
            bound += slope * deltaQ;
        }
        return bound;
    }

    /** Evidently's zero fill, in place. */
    public static double[] fillZeroes(double[] proportions) {
        double minNonZero = Double.POSITIVE_INFINITY;
        for (double v : proportions) {
            if (v != 0) {
                minNonZero = Math.min(minNonZero, v);
            }
        }
        double fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
        for (int i = 0; i < proportions.length; i++) {
            if (proportions[i] == 0) {
                proportions[i] = fill;
            }
        }
        return proportions;
    }

    /** Jensen-Shannon distance of two filled proportion vectors (SciPy's jensenshannon, base e). */
    public static double jensenShannon(double[] p, double[] q) {
        return Math.sqrt(jsDivergence(p, q));
    }

    private static double jsDivergence(double[] p0, double[] q0) {
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p0.length; i++) {
            sp += p0[i];
            sq += q0[i];
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < p0.length; i++) {
            double p = p0[i] / sp;
            double q = q0[i] / sq;
            double m = (p + q) / 2.0;
            left += relativeEntropy(p, m);
            right += relativeEntropy(q, m);
        }
        return (left + right) / 2.0;
    }

    private static double relativeEntropy(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    /**
     * Largest change of {@link #jensenShannon} when each reference proportion moves by at most {@code deltaP} and
     * each current one by {@code deltaQ}. Per bin, the divergence term g(p, q) = p ln(2p/(p+q)) + q ln(2q/(p+q))
     * changes by at most the smaller of two bounds: the mean value theorem with its partial derivatives
     * ln(2p/(p+q)) and ln(2q/(p+q)), monotone in each argument and so largest at the box's corners (tight where p
     * and q are large); and, g being convex and non-negative, max(largest corner value - g, g) (tight in the sparse
     * tails). Half their sum bounds the divergence change B, and the distance changes by at most
     * {@code min(sqrt(B), B / d)}. Ignores the renormalization after the zero fill (below 1e-4 of the total).
     */
    public static double jensenShannonBound(double[] p, double[] q, double deltaP, double deltaQ) {
        if (deltaP == 0 && deltaQ == 0) {
            return 0;
        }
        double floor = 1e-300;
        double divergenceBound = 0;
        for (int i = 0; i < p.length; i++) {
            double pLo = Math.max(floor, p[i] - deltaP);
            double pHi = Math.min(1, p[i] + deltaP);
            double qLo = Math.max(floor, q[i] - deltaQ);
            double qHi = Math.min(1, q[i] + deltaQ);
            double dp = Math.max(Math.abs(Math.log(2 * pLo / (pLo + qHi))), Math.abs(Math.log(2 * pHi / (pHi + qLo))));
            double dq = Math.max(Math.abs(Math.log(2 * qLo / (qLo + pHi))), Math.abs(Math.log(2 * qHi / (qHi + pLo))));
            double meanValue = dp * deltaP + dq * deltaQ;
            double g = term(p[i], q[i]);
            double corners = Math.max(Math.max(term(pLo, qLo), term(pLo, qHi)), Math.max(term(pHi, qLo), term(pHi, qHi)));
            divergenceBound += Math.min(meanValue, Math.max(corners - g, g)) / 2;
        }
        double d = jensenShannon(p, q);
        return d > 0 ? Math.min(Math.sqrt(divergenceBound), divergenceBound / d) : Math.sqrt(divergenceBound);
    }

    private static double term(double p, double q) {
        double m = p + q;
        return (p > 0 ? p * Math.log(2 * p / m) : 0) + (q > 0 ? q * Math.log(2 * q / m) : 0);
    }
}
