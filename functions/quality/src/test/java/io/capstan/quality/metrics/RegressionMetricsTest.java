package io.capstan.quality.metrics;

import static io.capstan.quality.metrics.GoldenFixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    @Test
    void of_goldenFixture_matchesScikitLearnAndNumpy() {
        List<String[]> rows = GoldenFixtures.csv("regression/rows.csv");
        double[] actual = rows.stream().mapToDouble(r -> Double.parseDouble(r[0])).toArray();
        double[] predicted = rows.stream().mapToDouble(r -> Double.parseDouble(r[1])).toArray();
        JsonNode expected = GoldenFixtures.json("regression/expected.json");

        RegressionQuality q = RegressionMetrics.of(actual, predicted);

        assertThat(q.rows()).isEqualTo(expected.get("rows").asLong());
        assertClose(q.mae(), expected.get("mae").asDouble(), "mae");
        assertClose(q.rmse(), expected.get("rmse").asDouble(), "rmse");
        assertClose(q.r2(), expected.get("r2").asDouble(), "r2");
        assertClose(q.meanResidual(), expected.get("mean_residual").asDouble(), "mean residual");
        assertThat(q.residualQuantiles().keySet()).containsExactly("p5", "p25", "p50", "p75", "p95");
        expected.get("quantiles").fields().forEachRemaining(e ->
                assertClose(q.residualQuantiles().get(e.getKey()), e.getValue().asDouble(), e.getKey()));
        JsonNode edges = expected.get("histogram").get("edges");
        JsonNode counts = expected.get("histogram").get("counts");
        assertThat(q.residualHistogram()).hasSize(counts.size());
        for (int b = 0; b < counts.size(); b++) {
            ResidualBin bin = q.residualHistogram().get(b);
            assertThat(bin.count()).as("bin %d count", b).isEqualTo(counts.get(b).asLong());
            assertClose(bin.lower(), edges.get(b).asDouble(), "bin " + b + " lower");
            assertClose(bin.upper(), edges.get(b + 1).asDouble(), "bin " + b + " upper");
        }
    }

    @Test
    void of_smallCase_matchesHandComputedFigures() {
        double[] actual = {3, -0.5, 2, 7};
        double[] predicted = {2.5, 0.0, 2, 8};

        RegressionQuality q = RegressionMetrics.of(actual, predicted);

        assertThat(q.mae()).isEqualTo(0.5);
        assertThat(q.rmse()).isEqualTo(Math.sqrt(0.375));
        assertClose(q.r2(), 0.9486081370449679, "r2");
        assertThat(q.meanResidual()).isEqualTo(-0.25);
        assertThat(q.residualQuantiles().get("p50")).isEqualTo(-0.25);
        assertThat(q.residualHistogram().stream().mapToLong(ResidualBin::count).sum()).isEqualTo(4);
        assertThat(q.residualHistogram().get(19).count()).as("the largest residual sits in the closed last bin")
                .isEqualTo(1);
    }

    @Test
    void of_constantActualValues_r2FollowsForceFinite() {
        assertThat(RegressionMetrics.of(new double[] {2, 2}, new double[] {2, 2}).r2()).isEqualTo(1);
        assertThat(RegressionMetrics.of(new double[] {2, 2}, new double[] {1, 3}).r2()).isZero();
    }

    @Test
    void of_identicalResiduals_histogramSpansOneAroundThem() {
        RegressionQuality q = RegressionMetrics.of(new double[] {5, 6}, new double[] {4, 5});

        assertThat(q.residualHistogram().get(0).lower()).isEqualTo(0.5);
        assertThat(q.residualHistogram().get(19).upper()).isEqualTo(1.5);
        assertThat(q.residualHistogram().get(10).count()).isEqualTo(2);
    }

    @Test
    void of_noRows_givesNaNFigures() {
        RegressionQuality q = RegressionMetrics.of(new double[0], new double[0]);

        assertThat(q.rows()).isZero();
        assertThat(q.mae()).isNaN();
        assertThat(q.rmse()).isNaN();
        assertThat(q.r2()).isNaN();
        assertThat(q.residualQuantiles().get("p95")).isNaN();
        assertThat(q.residualHistogram()).isEmpty();
    }

    @Test
    void of_lengthsDiffer_throws() {
        assertThatThrownBy(() -> RegressionMetrics.of(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actual has 2 values");
    }

    @Test
    void of_nonFiniteValue_throwsNamingTheRow() {
        assertThatThrownBy(() -> RegressionMetrics.of(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    }

    @Test
    void percentiles_linear_interpolatesBetweenRanks() {
        double[] sorted = {1, 2, 4, 8};

        assertThat(Percentiles.linear(sorted, 0)).isEqualTo(1);
        assertThat(Percentiles.linear(sorted, 50)).isEqualTo(3);
        assertThat(Percentiles.linear(sorted, 100)).isEqualTo(8);
        assertClose(Percentiles.linear(sorted, 90), 6.8, "p90");
        assertThatThrownBy(() -> Percentiles.linear(new double[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
