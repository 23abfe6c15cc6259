package io.capstan.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link SmirnovLowerSum}'s two roads against each other: the Euler-Maclaurin sum against the term-by-term sum on a
 * grid of n and {@code n x^2}, its remainder bound, its closed-form derivatives, and a work count that does not
 * grow with n.
 */
class SmirnovLowerSumTest {
    private static final int[] NS = {10_000, 30_000, 100_000, 300_000, 999_999};
    private static final double[] NX2 = {0.001, 0.05, 0.35, 1.5, 2.2, 7, 23, 60, 150, 370};

    @Test
    void eulerMaclaurin_gridOfNAndX_agreesWithTheTermByTermSum() {
        double worst = 0;
        int compared = 0;
        for (int n : NS) {
            for (double c : NX2) {
                double x = Math.sqrt(c / n) * (1 + 1e-3 * Math.PI);
                long last = (long) Math.ceil(n * (1 - x)) - 1;
                if (n * x < 3) {
                    continue;
                }

                SmirnovLowerSum.Evaluation fast = SmirnovLowerSum.evaluate(n, x, last);
                SmirnovLowerSum.Evaluation exact = SmirnovLowerSum.exactSum(n, x, last);

                assertThat(fast.quadrature()).as("n = %d, n x^2 = %s", n, c).isTrue();
                assertThat(fast.remainderBound()).as("remainder bound, n = %d, n x^2 = %s", n, c)
                        .isLessThanOrEqualTo(1e-15);
                double error = Math.abs(Math.expm1(fast.logValue() - exact.logValue()));
                assertThat(error).as("n = %d, n x^2 = %s: log %s vs %s", n, c, fast.logValue(), exact.logValue())
                        .isLessThanOrEqualTo(1e-12);
                worst = Math.max(worst, error);
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(45);
        System.out.printf("SmirnovLowerSum: Euler-Maclaurin vs term by term, worst relative difference %.2e%n", worst);
    }

    /** Terms and quadrature nodes, not counting the ~100 tail bounds that place the window. */
    @Test
    void evaluate_anyN_takesABoundedNumberOfTerms() {
        int most = 0;
        int mostQuadrature = 0;
        for (int n : new int[] {10_000, 100_000, 500_000, 750_000, 999_999}) {
            for (double c : NX2) {
                double x = Math.sqrt(c / n);
                long last = (long) Math.ceil(n * (1 - x)) - 1;

                SmirnovLowerSum.Evaluation e = SmirnovLowerSum.evaluate(n, x, last);

                most = Math.max(most, e.terms());
                mostQuadrature = Math.max(mostQuadrature, e.quadrature() ? e.terms() : 0);
            }
        }
        assertThat(most).isLessThanOrEqualTo(SmirnovLowerSum.EXACT_MAX_TERMS + 64);
        assertThat(mostQuadrature).isLessThanOrEqualTo(1000);
        System.out.printf("SmirnovLowerSum: at most %d terms or nodes per sum, n from 1e4 to 1e6%n", most);
    }

    @Test
    void evaluate_shortWindow_sumsTermByTerm() {
        int n = 5000;
        double x = Math.sqrt(300.0 / n);

        SmirnovLowerSum.Evaluation e = SmirnovLowerSum.evaluate(n, x, (long) Math.ceil(n * (1 - x)) - 1);

        assertThat(e.quadrature()).isFalse();
        assertThat(e.terms()).isLessThanOrEqualTo(SmirnovLowerSum.EXACT_MAX_TERMS + 64);
    }

    @Test
    void logDerivatives_matchFiniteDifferencesOfTheLogTerm() {
        int n = 200_000;
        double x = Math.sqrt(9.0 / n);
        double nx = n * x;
        double[] phi = new double[7];
        for (double v : new double[] {400, 5_000, 60_000, 99_000, 150_000}) {
            SmirnovLowerSum.logDerivatives(n, nx, v, phi, 6);
            double h = 0.5;
            double[] l = new double[5];
            for (int i = 0; i < 5; i++) {
                l[i] = SmirnovLowerSum.logTerm(n, x, nx, v + (i - 2) * h);
            }
            double first = (l[0] - 8 * l[1] + 8 * l[3] - l[4]) / (12 * h);
            double second = (-l[0] + 16 * l[1] - 30 * l[2] + 16 * l[3] - l[4]) / (12 * h * h);

            assertThat(phi[1]).as("phi' at %s", v).isCloseTo(first, Offset.offset(1e-9));
            assertThat(phi[2]).as("phi'' at %s", v).isCloseTo(second, Offset.offset(1e-7));
        }
    }

    @Test
    void polygamma_satisfiesTheRecurrence() {
        for (int m = 1; m <= 5; m++) {
            for (double z : new double[] {201, 950.5, 40_000}) {
                double factorial = 1;
                for (int i = 2; i <= m; i++) {
                    factorial *= i;
                }
                double step = ((m & 1) == 0 ? 1 : -1) * factorial / Math.pow(z, m + 1);

                double next = SmirnovLowerSum.polygamma(m, z + 1);

                assertThat(next).as("psi^(%d)(%s + 1)", m, z).isCloseTo(SmirnovLowerSum.polygamma(m, z) + step,
                        Offset.offset(1e-14 * Math.abs(next)));
            }
        }
    }
}
