package io.capstan.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kstwo.sf} at n from 1e4 to 3e6 against {@code golden/scipy-kstwo-large-n.json}
 * ({@code make_golden.py --large-n}), to 1e-9 relative: p from ~1 down to ~1e-303 and 0, every long Smirnov sum
 * going through {@link SmirnovLowerSum}, and SciPy's n > 1e6 approximation; and {@code scipy.special.smirnov} at
 * n from 1e4 to 999,999 for p from ~0.9 to ~1e-300, and on both sides of {@link SmirnovLowerSum}'s switch between
 * its term-by-term and Euler-Maclaurin sums.
 */
class KolmogorovDistributionLargeNTest {
    private static final double RELATIVE = 1e-9;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = KolmogorovDistributionLargeNTest.class.getClassLoader()
                .getResourceAsStream("golden/scipy-kstwo-large-n.json")) {
            golden = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        }
    }

    @Test
    void sf_largeNAcrossAllBranches_matchesScipyKstwoSf() {
        int smirnovPoints = 0;
        int tinyPoints = 0;
        double worst = 0;
        for (JsonNode c : golden.get("kstwo_sf")) {
            int n = c.get("n").asInt();
            double d = c.get("d").asDouble();
            double expected = c.get("sf").asDouble();

            double actual = KolmogorovDistribution.sf(n, d);

            assertThat(Math.abs(actual - expected)).as("kstwo.sf(%s, %s): %s vs SciPy %s", d, n, actual, expected)
                    .isLessThanOrEqualTo(RELATIVE * Math.abs(expected));
            worst = expected > 0 ? Math.max(worst, Math.abs(actual - expected) / expected) : worst;
            smirnovPoints += n <= 1_000_000 && n * d * d >= 2.2 && expected > 0 ? 1 : 0;
            tinyPoints += expected > 0 && expected < 1e-290 ? 1 : 0;
        }
        assertThat(smirnovPoints).isGreaterThanOrEqualTo(50);
        assertThat(tinyPoints).isGreaterThanOrEqualTo(4);
        System.out.printf("kstwo.sf at n = 1e4 .. 3e6: worst relative error vs SciPy %.2e%n", worst);
    }

    @Test
    void smirnov_largeNFromP09To1e300_matchesScipySmirnov() {
        double worst = worstRelativeError("smirnov_sf", 75);
        System.out.printf("smirnov at n = 1e4 .. 999,999: worst relative error vs SciPy %.2e%n", worst);
    }

    @Test
    void smirnov_bothSidesOfTheSumSwitch_matchesScipySmirnov() {
        int quadrature = 0;
        for (JsonNode c : golden.get("smirnov_switch")) {
            int n = c.get("n").asInt();
            double x = c.get("x").asDouble();
            long last = (long) Math.ceil(n * (1 - x)) - 1;
            quadrature += SmirnovLowerSum.evaluate(n, x, last).quadrature() ? 1 : 0;
        }

        double worst = worstRelativeError("smirnov_switch", 8);

        assertThat(quadrature).as("points summed by Euler-Maclaurin").isEqualTo(4);
        System.out.printf("smirnov at the sum switch: worst relative error vs SciPy %.2e%n", worst);
    }

    private static double worstRelativeError(String list, int atLeast) {
        double worst = 0;
        int points = 0;
        for (JsonNode c : golden.get(list)) {
            int n = c.get("n").asInt();
            double x = c.get("x").asDouble();
            double expected = c.get("sf").asDouble();

            double actual = SmirnovDistribution.sf(n, x);

            double error = Math.abs(actual - expected) / expected;
            assertThat(error).as("smirnov(%d, %s): %s vs SciPy %s", n, x, actual, expected)
                    .isLessThanOrEqualTo(RELATIVE);
            worst = Math.max(worst, error);
            points++;
        }
        assertThat(points).isGreaterThanOrEqualTo(atLeast);
        return worst;
    }

    @Test
    void stirlerr_beyondTheTable_matchesLogFactorial() {
        double logFactorial = 0;
        for (int k = 1; k <= 200; k++) {
            logFactorial += Math.log(k);

            double direct = logFactorial - (k + 0.5) * Math.log(k) + k - 0.5 * Math.log(2 * Math.PI);

            assertThat(SmirnovLowerSum.stirlerr(k)).as("stirlerr(%d)", k).isCloseTo(direct,
                    Offset.offset(1e-12));
        }
    }

    @Test
    void bd0_nearAndFarFromTheMean_matchesTheDefinition() {
        double[][] cases = {{1000, 1000.5}, {1000, 1090}, {1000, 1200}, {3, 40}, {500_000, 499_000}};
        for (double[] c : cases) {
            double x = c[0];
            double m = c[1];
            double direct = x * Math.log(x / m) + m - x;

            assertThat(SmirnovLowerSum.bd0(x, m)).as("bd0(%s, %s)", x, m)
                    .isCloseTo(direct, Offset.offset(1e-9 * Math.abs(direct) + 1e-12));
        }
    }
}
