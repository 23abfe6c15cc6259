package io.capstan.quality.abtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class AbTestsTest {
    private static final int ROWS = 4_000;

    @Test
    void proportions_challengerFivePointsMoreAccurate_challengerBetter() {
        SplittableRandom random = new SplittableRandom(11);
        long champion = successes(random, ROWS, 0.80);
        long challenger = successes(random, ROWS, 0.85);

        AbComparison c = AbTests.proportions("accuracy", champion, ROWS, challenger, ROWS, 0.05, 0.02);

        assertThat(c.verdict()).as(c.reason()).isEqualTo(AbVerdict.CHALLENGER_BETTER);
        assertThat(c.pValue()).isLessThan(0.05);
        assertThat(c.difference()).isEqualTo(c.challenger() - c.champion()).isPositive();
        assertThat(c.confidenceLow()).isPositive().isLessThan(c.difference());
        assertThat(c.confidenceHigh()).isGreaterThan(c.difference());
        assertThat(c.test()).isEqualTo("two-proportion z-test");
        assertThat(c.reason()).startsWith("The challenger is better on accuracy").contains("95% interval")
                .contains(ROWS + " challenger");
    }

    @Test
    void proportions_challengerFivePointsLessAccurate_challengerWorse() {
        SplittableRandom random = new SplittableRandom(11);
        long champion = successes(random, ROWS, 0.85);
        long challenger = successes(random, ROWS, 0.80);

        AbComparison c = AbTests.proportions("accuracy", champion, ROWS, challenger, ROWS, 0.05, 0.02);

        assertThat(c.verdict()).as(c.reason()).isEqualTo(AbVerdict.CHALLENGER_WORSE);
        assertThat(c.confidenceHigh()).isNegative();
        assertThat(c.reason()).startsWith("The challenger is worse on accuracy");
    }

    @Test
    void proportions_equalModelsOver200Repetitions_rarelyCallsTheChallengerBetter() {
        SplittableRandom random = new SplittableRandom(2024);
        int better = 0;
        int repetitions = 200;

        for (int i = 0; i < repetitions; i++) {
            long champion = successes(random, ROWS, 0.80);
            long challenger = successes(random, ROWS, 0.80);
            if (AbTests.proportions("accuracy", champion, ROWS, challenger, ROWS, 0.05, 0.02).verdict()
                    == AbVerdict.CHALLENGER_BETTER) {
                better++;
            }
        }

        double share = (double) better / repetitions;
        assertThat(share).as("share of CHALLENGER_BETTER verdicts between equal models: %s (%d of %d)", share,
                better, repetitions).isLessThanOrEqualTo(0.07);
    }

    @Test
    void proportions_fixtureCases_matchScipyReferenceTo1e12() throws IOException {
        JsonNode cases;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("quality-fixtures/two-proportions.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        assertThat(cases).isNotEmpty();

        for (JsonNode e : cases) {
            AbComparison c = AbTests.proportions("accuracy", e.get("champion_successes").asLong(),
                    e.get("champion_rows").asLong(), e.get("challenger_successes").asLong(),
                    e.get("challenger_rows").asLong(), e.get("alpha").asDouble(),
                    e.get("minimum_detectable_effect").asDouble());

            String what = e.toString();
            assertThat(c.difference()).as(what).isCloseTo(e.get("difference").asDouble(), within(1e-12));
            assertThat(c.pValue()).as(what).isCloseTo(e.get("p_value").asDouble(), within(1e-12));
            assertThat(c.confidenceLow()).as(what).isCloseTo(e.get("confidence_low").asDouble(), within(1e-12));
            assertThat(c.confidenceHigh()).as(what).isCloseTo(e.get("confidence_high").asDouble(), within(1e-12));
            assertThat(c.rowsNeededPerArm()).as(what).isEqualTo(e.get("rows_needed_per_arm").asLong());
        }
    }

    @Test
    void proportions_anArmWithoutRows_notYetKnownAndSaysSo() {
        AbComparison c = AbTests.proportions("accuracy", 800, 1000, 0, 0, 0.05, 0.02);

        assertThat(c.verdict()).isEqualTo(AbVerdict.NOT_YET_KNOWN);
        assertThat(c.reason()).contains("the challenger has no labelled rows");
        assertThat(c.challenger()).isNaN();
        assertThat(c.pValue()).isNaN();
        assertThat(c.rowsNeededPerArm()).as("computable from the champion's rate").isPositive();
    }

    @Test
    void proportions_smallDifference_notYetKnownWithRowsNeeded() {
        AbComparison c = AbTests.proportions("accuracy", 800, 1000, 805, 1000, 0.05, 0.02);

        assertThat(c.verdict()).isEqualTo(AbVerdict.NOT_YET_KNOWN);
        assertThat(c.reason()).startsWith("Not yet known").contains(">= 0.05")
                .contains("about " + c.rowsNeededPerArm() + " labelled rows per arm");
    }

    @Test
    void proportions_invalidInput_throws() {
        assertThatThrownBy(() -> AbTests.proportions("accuracy", 11, 10, 5, 10, 0.05, 0.02))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("champion has 11 successes");
        assertThatThrownBy(() -> AbTests.proportions("accuracy", 1, 10, 5, 10, 1.5, 0.02))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        assertThatThrownBy(() -> AbTests.proportions("accuracy", 1, 10, 5, 10, 0.05, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumDetectableEffect");
    }

    @Test
    void bootstrap_clearlyLowerMeanAbsoluteError_challengerBetter() {
        double[] champion = absoluteErrors(new SplittableRandom(1), 2_000, 1.0);
        double[] challenger = absoluteErrors(new SplittableRandom(2), 2_000, 0.8);

        AbComparison c = AbTests.bootstrap("mae", false, champion.length, mean(champion), challenger.length,
                mean(challenger), 0.05, 0.05, 1_000, 42);

        assertThat(c.verdict()).as(c.reason()).isEqualTo(AbVerdict.CHALLENGER_BETTER);
        assertThat(c.difference()).isNegative();
        assertThat(c.confidenceHigh()).isNegative();
        assertThat(c.pValue()).isEqualTo(1.0 / 1_000);
        assertThat(c.test()).isEqualTo("bootstrap (1000 resamples, seed 42)");
        assertThat(c.reason()).contains("mae (lower is better)");
        assertThat(c.rowsNeededPerArm()).isPositive();
    }

    @Test
    void bootstrap_clearlyHigherMeanAbsoluteError_challengerWorse() {
        double[] champion = absoluteErrors(new SplittableRandom(1), 2_000, 0.8);
        double[] challenger = absoluteErrors(new SplittableRandom(2), 2_000, 1.0);

        AbComparison c = AbTests.bootstrap("mae", false, champion.length, mean(champion), challenger.length,
                mean(challenger), 0.05, 0.05, 1_000, 42);

        assertThat(c.verdict()).as(c.reason()).isEqualTo(AbVerdict.CHALLENGER_WORSE);
    }

    @Test
    void bootstrap_equalArms_notYetKnownAndIntervalHoldsZero() {
        double[] champion = absoluteErrors(new SplittableRandom(3), 2_000, 1.0);
        double[] challenger = absoluteErrors(new SplittableRandom(4), 2_000, 1.0);

        AbComparison c = AbTests.bootstrap("mae", false, champion.length, mean(champion), challenger.length,
                mean(challenger), 0.05, 0.05, 1_000, 42);

        assertThat(c.verdict()).as(c.reason()).isEqualTo(AbVerdict.NOT_YET_KNOWN);
        assertThat(c.confidenceLow()).isNegative();
        assertThat(c.confidenceHigh()).isPositive();
        assertThat(c.pValue()).isGreaterThan(0.05);
    }

    @Test
    void bootstrap_sameSeed_sameComparison() {
        double[] champion = absoluteErrors(new SplittableRandom(5), 500, 1.0);
        double[] challenger = absoluteErrors(new SplittableRandom(6), 400, 1.0);

        AbComparison first = AbTests.bootstrap("mae", false, 500, mean(champion), 400, mean(challenger), 0.05, 0.05,
                300, 7);
        AbComparison second = AbTests.bootstrap("mae", false, 500, mean(champion), 400, mean(challenger), 0.05, 0.05,
                300, 7);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void bootstrap_accuracy_agreesWithTheWaldInterval() {
        SplittableRandom random = new SplittableRandom(11);
        double[] champion = bernoulli(random, ROWS, 0.80);
        double[] challenger = bernoulli(random, ROWS, 0.85);

        AbComparison boot = AbTests.bootstrap("accuracy", true, ROWS, mean(champion), ROWS, mean(challenger), 0.05,
                0.02, 2_000, 9);
        AbComparison z = AbTests.proportions("accuracy", sum(champion), ROWS, sum(challenger), ROWS, 0.05, 0.02);

        assertThat(boot.verdict()).isEqualTo(AbVerdict.CHALLENGER_BETTER);
        assertThat(boot.difference()).isCloseTo(z.difference(), within(1e-12));
        assertThat(boot.confidenceLow()).isCloseTo(z.confidenceLow(), within(0.004));
        assertThat(boot.confidenceHigh()).isCloseTo(z.confidenceHigh(), within(0.004));
        assertThat((double) boot.rowsNeededPerArm()).isCloseTo(z.rowsNeededPerArm(), within(0.15 * z.rowsNeededPerArm()));
    }

    @Test
    void bootstrap_anArmWithoutRows_notYetKnown() {
        AbComparison c = AbTests.bootstrap("mae", false, 0, idx -> 0, 10, idx -> 1, 0.05, 0.1, 100, 1);

        assertThat(c.verdict()).isEqualTo(AbVerdict.NOT_YET_KNOWN);
        assertThat(c.reason()).contains("the champion has no labelled rows");
        assertThat(c.champion()).isNaN();
        assertThat(c.challenger()).isEqualTo(1);
    }

    @Test
    void bootstrap_statisticNotFinite_throws() {
        assertThatThrownBy(() -> AbTests.bootstrap("mae", false, 5, idx -> Double.NaN, 5, idx -> 1, 0.05, 0.1, 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }

    private static long successes(SplittableRandom random, int rows, double rate) {
        long successes = 0;
        for (int i = 0; i < rows; i++) {
            successes += random.nextDouble() < rate ? 1 : 0;
        }
        return successes;
    }

    private static double[] bernoulli(SplittableRandom random, int rows, double rate) {
        double[] outcomes = new double[rows];
        for (int i = 0; i < rows; i++) {
            outcomes[i] = random.nextDouble() < rate ? 1 : 0;
        }
        return outcomes;
    }

    private static double[] absoluteErrors(SplittableRandom random, int rows, double scale) {
        double[] errors = new double[rows];
        for (int i = 0; i < rows; i++) {
            errors[i] = Math.abs(random.nextGaussian() * scale);
        }
        return errors;
    }

    private static ToDoubleFunction<int[]> mean(double[] values) {
        return indices -> {
            double sum = 0;
            for (int i : indices) {
                sum += values[i];
            }
            return sum / indices.length;
        };
    }

    private static long sum(double[] outcomes) {
        long sum = 0;
        for (double o : outcomes) {
            sum += (long) o;
        }
        return sum;
    }
}
