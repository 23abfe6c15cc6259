package io.capstan.drift.internal;

/**
 * The lower sum of {@code scipy.special.smirnov}, {@code P(D+_n >= x) = x * sum_{v=0}^{last} A_v} with
 * {@code A_v = C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)}, in a number of operations bounded independently of n:
 * the terms that matter are found from a tail bound, and a long run of them is replaced by its Euler-Maclaurin
 * integral, so that n = 1e6 costs what n = 1e4 costs.
 *
 * <p><b>Terms.</b> Each term is {@code f(v) = x A_v = (x / a) b(v; n, a)} with {@code a = x + v/n} and {@code b} the
 * binomial probability, evaluated in log space in Loader's saddle-point form ({@code stirlerr} and {@code bd0}, as
 * in R's {@code dbinom}), which keeps about 1e-14 relative accuracy per term at any n (the absolute error of the
 * logarithm grows with its size, up to about 3e-13 where the sum is near 1e-300). The same formula with
 * {@code lgamma} in place of the factorials defines {@code f} for real v, a smooth function away from its
 * singularities at {@code v = -1, -n x, n - n x, n + 1}.
 *
 * <p><b>Tail bound</b>: since {@code x / a <= 1} and {@code v / n < a}, the Chernoff bound gives
 * {@code x A_v <= P(Bin(n, a) <= v) <= exp(-n g(v/n))} with {@code g(p) = K(p || p + x)}, the Kullback-Leibler
 * divergence of two Bernoulli laws. {@code g} is convex in p (K is jointly convex and {@code p -> (p, p + x)} is
 * affine), so {@code g(p1 + k/n) >= g(p1) + g'(p1) k / n} and the terms from v1 on, walking in direction s = +-1,
 * add up to at most {@code exp(-n g(p1)) / (1 - exp(-s g'(p1)))} whenever {@code s g'(p1) > 0}. The bound falls
 * monotonically away from the peak, so the window {@code [lo, hi]} outside which each side's terms add up to less
 * than {@value #WINDOW_TAIL} times the peak term (so less than that share of the sum) is found by bisection.
 *
 * <p><b>Short windows</b> (at most {@value #EXACT_MAX_TERMS} terms: narrow peaks, small n) are summed term by term
 * from the peak outwards, each direction stopped once the tail bound is below {@value #RELATIVE_TAIL} times the sum
 * so far, as SciPy's value to rounding (the two tails left out are together below 2e-13 of the result).
 *
 * <p><b>Long windows</b> are summed exactly over their first and last {@value #EDGE_TERMS} terms next to the
 * singularities (the stretches {@code v < EDGE_TERMS} and {@code v > n - n x - EDGE_TERMS} of the window, where f
 * varies on a scale of v or of {@code n - n x - v}), and in between, from a to b, by Euler-Maclaurin with three
 * terms: {@code sum_{v=a}^{b} f(v) = int_a^b f + (f(a) + f(b)) / 2 + (f'(b) - f'(a)) / 12
 * - (f'''(b) - f'''(a)) / 720 + R}, {@code |R| <= (1 / 30240) int_a^b |f^(6)|} ({@code 1 / 30240 = |B_6| / 6!} bounds
 * the periodic Bernoulli function in the remainder). The derivatives come in closed form: with {@code phi = log f},
 * {@code phi^(k)} is a difference of polygammas (asymptotic series; v and {@code n - v} are at least
 * {@value #EDGE_TERMS}) plus rational terms in {@code u = v + n x} and {@code d = n - v - n x}, and
 * {@code f^(k) / f} is the complete Bell polynomial of {@code phi', ..., phi^(k)}. The integral is taken by
 * {@value #GAUSS_NODES}-point Gauss-Legendre panels no wider than {@value #PANEL_SCALES} local widths
 * {@code (-phi'')^(-1/2)} and than a quarter of the distance to the nearest singularity.
 *
 * <p><b>Error of the long path</b>: the tails left out are below 2e-15 of the sum (the Chernoff bound above,
 * rigorous). R is bounded on every call: the same nodes integrate {@code |f^(6)|} (so the bound's integral is itself
 * a quadrature estimate), and a bound not below
 * {@value #REMAINDER_LIMIT} of the sum sends the window to the term-by-term sum instead (on the tested grid, n from
 * 1e4 to 1e6 and {@code n x^2} from 1e-3 to 370, the bound is at most 1.2e-16). The quadrature error is bounded for
 * the shape of the peak, a Gaussian of width sigma: a 16-point panel of width 2 sigma errs by at most
 * {@code (2 sigma)^33 (16!)^4 / (33 (32!)^3) max|f^(32)|}, below 1e-26 of the bump's mass (with
 * {@code |d^32/dt^32 exp(-t^2/2)| <= 1.1 sqrt(32!)}); for the real f it is measured instead, against the
 * term-by-term sum on that grid ({@code SmirnovLowerSumTest}): at most 2e-13, the rounding of the terms themselves,
 * whose logarithms (up to about 750 in size) are good to about 1e-16 of their size. So the long path is within 1e-12
 * of the full sum, and of SciPy's value to 2e-12 on the golden points.
 *
 * <p><b>Work</b>, whatever n: on the long path about 100 tail bounds, at most {@code 2 * } {@value #EDGE_TERMS} edge
 * terms and some 10 to 50 panels of {@value #GAUSS_NODES} nodes (at most 895 terms and nodes on the tested grid);
 * on the short path about 100 tail bounds and at most {@value #EXACT_MAX_TERMS} terms.
 */
final class SmirnovLowerSum {
    static final double RELATIVE_TAIL = 1e-13;
    /** Each side's terms beyond the window add up to less than this times the peak term. */
    static final double WINDOW_TAIL = 1e-15;
    /** Windows of at most this many terms are summed term by term. */
    static final int EXACT_MAX_TERMS = 2048;
    /** Terms summed one by one next to v = 0 and v = n - n x before the Euler-Maclaurin stretch starts. */
    static final int EDGE_TERMS = 200;
    /** Nodes of each Gauss-Legendre panel. */
    static final int GAUSS_NODES = 16;
    /** The widest panel, in local widths {@code (-phi'')^(-1/2)}. */
    static final double PANEL_SCALES = 2;
    /** The largest Euler-Maclaurin remainder bound, relative to the sum, that the long path accepts. */
    static final double REMAINDER_LIMIT = 1e-14;
    private static final int CHECK_EVERY = 32;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double[] SMALL_STIRLERR = smallStirlerr();
    private static final double[][] GAUSS = gaussLegendre(GAUSS_NODES);
    /** The Bernoulli numbers B_2j, j = 1..5, for the asymptotic series of the polygammas. */
    private static final double[] BERNOULLI = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66};

    private SmirnovLowerSum() {
    }

    /**
     * One evaluation of the sum: its logarithm, the terms and quadrature nodes it took, whether it took the
     * Euler-Maclaurin path, and that path's bound on the remainder relative to the sum (0 on the exact path).
     */
    record Evaluation(double logValue, int terms, boolean quadrature, double remainderBound) {
        double value() {
            return Math.exp(logValue);
        }
    }

    /** {@code x * sum_{v=0}^{last} A_v}, for {@code 0 < x < 1} and {@code 0 <= last < n (1 - x)}. */
    static double sum(int n, double x, long last) {
        return evaluate(n, x, last).value();
    }

    /** The sum with its cost: the exact walk for short windows, Euler-Maclaurin for long ones. */
    static Evaluation evaluate(int n, double x, long last) {
        double nx = n * x;
        long start = peak(n, x, last);
        double ref = logTerm(n, x, nx, start);
        double limit = ref + Math.log(WINDOW_TAIL);
        long lo = windowEnd(n, nx, start, -1, last, limit);
        long hi = windowEnd(n, nx, start, 1, last, limit);
        if (hi - lo + 1 <= EXACT_MAX_TERMS) {
            return exactSum(n, x, last);
        }
        Evaluation quadrature = eulerMaclaurin(n, x, lo, hi, ref);
        if (quadrature.remainderBound() <= REMAINDER_LIMIT) {
            return quadrature;
        }
        Evaluation exact = exactSum(n, x, last);
        return new Evaluation(exact.logValue(), exact.terms() + quadrature.terms(), false, 0);
    }

    /** The sum term by term from the peak outwards, each direction stopped by the tail bound. */
    static Evaluation exactSum(int n, double x, long last) {
        double nx = n * x;
        long start = peak(n, x, last);
        double ref = logTerm(n, x, nx, start);
        double sum = 1;
        double compensation = 0;
        int terms = 1;
        for (int s = 1; s >= -1; s -= 2) {
            for (long v = s > 0 ? start + 1 : start - 1; v >= 0 && v <= last; v += s) {
                double t = Math.exp(logTerm(n, x, nx, v) - ref);
                terms++;
                double next = sum + t;
                compensation += sum >= t ? (sum - next) + t : (t - next) + sum;
                sum = next;
                if ((v - start) % CHECK_EVERY == 0 && tailBelow(n, nx, v + s, s, ref + Math.log(sum))) {
                    break;
                }
            }
        }
        return new Evaluation(ref + Math.log(sum + compensation), terms, false, 0);
    }

    private static long peak(int n, double x, long last) {
        return Math.min(last, Math.max(0, (long) Math.floor(n * (1 - x) / 2)));
    }

    /**
     * The farthest v from {@code start} in direction s, within {@code [0, last]}, whose tail bound (the terms from v
     * on) is not below {@code limit}, so that the terms past it are: the bound falls monotonically away from the
     * peak, so doubling then bisection.
     */
    private static long windowEnd(int n, double nx, long start, int s, long last, double limit) {
        long edge = s > 0 ? last : 0;
        long inside = start;
        for (long step = 1; ; step *= 2) {
            long outside = start + s * step;
            if (beyond(n, nx, outside, s, edge, limit)) {
                while (Math.abs(outside - inside) > 1) {
                    long mid = inside + (outside - inside) / 2;
                    if (beyond(n, nx, mid, s, edge, limit)) {
                        outside = mid;
                    } else {
                        inside = mid;
                    }
                }
                return inside;
            }
            inside = outside;
        }
    }

    /** Whether the terms from v on in direction s are past the range or bounded below the limit. */
    private static boolean beyond(int n, double nx, long v, int s, long edge, double limit) {
        return s * (v - edge) > 0 || logTailBound(n, nx, v, s) < limit;
    }

    /** Whether the terms from {@code v1} on in direction {@code s} add up to less than the tail share of the sum. */
    private static boolean tailBelow(int n, double nx, long v1, int s, double logSum) {
        return logTailBound(n, nx, v1, s) < logSum + Math.log(RELATIVE_TAIL);
    }

    /**
     * log of the Chernoff bound on the terms from {@code v1} on in direction {@code s}: minus infinity past the end
     * of the range, plus infinity (no bound) where the exponent does not yet fall in that direction.
     */
    private static double logTailBound(int n, double nx, long v1, int s) {
        if (v1 < 0 || v1 >= n - nx) {
            return Double.NEGATIVE_INFINITY;
        }
        double up = v1 + nx;
        double down = n - v1 - nx;
        double slope = (v1 == 0 ? Double.NEGATIVE_INFINITY : Math.log(v1 * down / (up * (n - v1))))
                + (n - v1) / down - v1 / up;
        if (s * slope <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return -(bd0(v1, up) + bd0(n - v1, down)) - Math.log(-Math.expm1(-s * slope));
    }

    /**
     * The window's terms: those within {@value #EDGE_TERMS} of the singularities one by one, the stretch between by
     * Euler-Maclaurin, with the computed bound on its remainder relative to the whole.
     */
    static Evaluation eulerMaclaurin(int n, double x, long lo, long hi, double ref) {
        double nx = n * x;
        long a = Math.max(lo, EDGE_TERMS);
        long b = Math.min(hi, (long) Math.floor(n - nx) - EDGE_TERMS);
        double edges = 0;
        int terms = 0;
        for (long v = lo; v < a; v++) {
            edges += Math.exp(logTerm(n, x, nx, v) - ref);
            terms++;
        }
        for (long v = hi; v > b; v--) {
            edges += Math.exp(logTerm(n, x, nx, v) - ref);
            terms++;
        }
        double[] phi = new double[7];
        double integral = 0;
        double sixth = 0;
        double pos = a;
        while (pos < b) {
            logDerivatives(n, nx, pos, phi, 2);
            double scale = Math.min(1 / Math.sqrt(Math.abs(phi[2])), Math.min(pos + 1, n - nx - pos) / 4);
            double width = Math.min(b - pos, PANEL_SCALES * scale);
            double half = width / 2;
            for (int i = 0; i < GAUSS_NODES; i++) {
                double v = pos + half * (GAUSS[0][i] + 1);
                double f = Math.exp(logTerm(n, x, nx, v) - ref);
                logDerivatives(n, nx, v, phi, 6);
                integral += GAUSS[1][i] * half * f;
                sixth += GAUSS[1][i] * half * f * Math.abs(bell6(phi));
            }
            terms += GAUSS_NODES;
            pos += width;
        }
        double fa = Math.exp(logTerm(n, x, nx, a) - ref);
        logDerivatives(n, nx, a, phi, 3);
        double da1 = fa * phi[1];
        double da3 = fa * bell3(phi);
        double fb = Math.exp(logTerm(n, x, nx, b) - ref);
        logDerivatives(n, nx, b, phi, 3);
        double db1 = fb * phi[1];
        double db3 = fb * bell3(phi);
        terms += 2;
        double middle = integral + (fa + fb) / 2 + (db1 - da1) / 12 - (db3 - da3) / 720;
        double total = edges + middle;
        return new Evaluation(ref + Math.log(total), terms, true, sixth / 30240 / total);
    }

    /**
     * {@code phi[k] = d^k/dv^k log f(v)} for k = 1..{@code order}, from
     * {@code log f = log x + lgamma(n+1) - lgamma(v+1) - lgamma(n-v+1) + (v-1) log(u/n) + (n-v) log(d/n)}; v and
     * {@code n - v} at least {@value #EDGE_TERMS} (asymptotic polygammas).
     */
    static void logDerivatives(int n, double nx, double v, double[] phi, int order) {
        double u = v + nx;
        double d = n - v - nx;
        double c = 1 + nx;
        double z1 = v + 1;
        double z2 = n - v + 1;
        phi[1] = Math.log(z2 * u / (z1 * d)) + digammaTail(z2) - digammaTail(z1) - c / u - nx / d;
        double factorial = 1;
        double iu = 1 / u;
        double id = 1 / d;
        double iuk = iu;
        double idk = id;
        for (int k = 2; k <= order; k++) {
            double sign = (k & 1) == 0 ? 1 : -1;
            double lower = factorial;
            factorial *= k - 1;
            phi[k] = -polygamma(k - 1, z1) - sign * polygamma(k - 1, z2) + sign * lower * iuk + lower * idk
                    + sign * factorial * c * iuk * iu - factorial * nx * idk * id;
            iuk *= iu;
            idk *= id;
        }
    }

    /** {@code psi(z) - log z}, asymptotic series (z at least a few hundred). */
    private static double digammaTail(double z) {
        double z2 = 1 / (z * z);
        double s = 0;
        double p = 1;
        for (int j = 1; j <= BERNOULLI.length; j++) {
            p *= z2;
            s += BERNOULLI[j - 1] / (2 * j) * p;
        }
        return -0.5 / z - s;
    }

    /** The polygamma {@code psi^(m)(z)}, m >= 1, asymptotic series (z at least a few hundred). */
    static double polygamma(int m, double z) {
        double mFactorial = 1;
        for (int i = 2; i <= m; i++) {
            mFactorial *= i;
        }
        double zm = z;
        for (int i = 2; i <= m; i++) {
            zm *= z;
        }
        double s = mFactorial / m / zm + mFactorial / (2 * zm * z);
        double rising = mFactorial / m;
        double p = 1 / zm;
        for (int j = 1; j <= BERNOULLI.length; j++) {
            // (2j + m - 1)! / (2j)! from (2j + m - 3)! / (2j - 2)!
            rising *= (double) (2 * j + m - 1) * (2 * j + m - 2) / ((2.0 * j) * (2 * j - 1));
            p /= z * z;
            s += BERNOULLI[j - 1] * rising * p;
        }
        return (m & 1) == 1 ? s : -s;
    }

    /** f''' / f from the derivatives of log f. */
    static double bell3(double[] p) {
        return p[1] * p[1] * p[1] + 3 * p[1] * p[2] + p[3];
    }

    /** f^(6) / f from the derivatives of log f (complete Bell polynomial Y_6). */
    static double bell6(double[] p) {
        double a = p[1];
        double b = p[2];
        double c = p[3];
        double d = p[4];
        double a2 = a * a;
        return a2 * a2 * a2 + 15 * a2 * a2 * b + 20 * a2 * a * c + 45 * a2 * b * b + 15 * b * b * b
                + 60 * a * b * c + 15 * a2 * d + 10 * c * c + 15 * b * d + 6 * a * p[5] + p[6];
    }

    /** log(x A_v) = log(x / a) + log b(v; n, a), a = x + v/n, in Loader's form; v an integer or above 15. */
    static double logTerm(int n, double x, double nx, double v) {
        double up = v + nx;
        double down = n - v - nx;
        if (v == 0) {
            return n * Math.log1p(-x);
        }
        double logBinomial = stirlerr(n) - stirlerr(v) - stirlerr(n - v) - bd0(v, up) - bd0(n - v, down)
                + 0.5 * Math.log(n / (v * (n - v))) - HALF_LOG_2PI;
        return Math.log(nx / up) + logBinomial;
    }

    /** log(k!) - ((k + 1/2) log k - k + log sqrt(2 pi)), the error of Stirling's formula; k an integer or above 15. */
    static double stirlerr(double k) {
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
        if (x == 0) {
            return m;
        }
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

    /** Nodes and weights of the m-point Gauss-Legendre rule on [-1, 1] (Newton on the Legendre recurrence). */
    private static double[][] gaussLegendre(int m) {
        double[][] rule = new double[2][m];
        for (int i = 0; i < m; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (m + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p0 = 1;
                double p1 = t;
                for (int k = 2; k <= m; k++) {
                    double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = m * (t * p1 - p0) / (t * t - 1);
                double next = t - p1 / derivative;
                boolean done = Math.abs(next - t) < 1e-16;
                t = next;
                if (done) {
                    break;
                }
            }
            rule[0][i] = t;
            rule[1][i] = 2 / ((1 - t * t) * derivative * derivative);
        }
        return rule;
    }
}
