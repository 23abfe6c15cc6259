package io.capstan.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.quality.metrics.RegressionMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityReportTest {
    private static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");

    @Test
    void new_windowEndBeforeStart_throws() {
        assertThatThrownBy(() -> new QualityReport("r", "m", Task.REGRESSION, T0, T0.minusSeconds(1), T0, "schedule",
                List.of(), Optional.empty(), Map.of(), "duckdb", "reported"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowEnd");
    }

    @Test
    void new_versionWithMetricsOfAnotherTask_throws() {
        VersionQuality regression = new VersionQuality("1", 2, 2, 1, FeedbackDelay.none(), Optional.empty(),
                Optional.of(RegressionMetrics.of(new double[] {1, 2}, new double[] {1, 3})));

        assertThatThrownBy(() -> new QualityReport("r", "m", Task.CLASSIFICATION, T0, T0, T0, "schedule",
                List.of(regression), Optional.empty(), Map.of(), "duckdb", "reported"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 1");
    }

    @Test
    void new_negativeFeedbackIssueCount_throws() {
        assertThatThrownBy(() -> new QualityReport("r", "m", Task.REGRESSION, T0, T0, T0, "schedule", List.of(),
                Optional.empty(), Map.of("unknown_id", -1L), "duckdb", "reported"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown_id");
    }

    @Test
    void feedbackDelayOf_delays_givesMedianP90AndMax() {
        FeedbackDelay delay = FeedbackDelay.of(new double[] {40, 10, 30, 20, 50});

        assertThat(delay).isEqualTo(new FeedbackDelay(5, 30, 46, 50));
        assertThat(FeedbackDelay.of(new double[0]).p50Seconds()).isNaN();
    }
}
