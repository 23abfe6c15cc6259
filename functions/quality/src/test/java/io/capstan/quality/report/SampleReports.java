package io.capstan.quality.report;

import io.capstan.quality.FeedbackDelay;
import io.capstan.quality.QualityReport;
import io.capstan.quality.Task;
import io.capstan.quality.VersionQuality;
import io.capstan.quality.abtest.AbTests;
import io.capstan.quality.metrics.ClassificationMetrics;
import io.capstan.quality.metrics.ClassificationQuality;
import io.capstan.quality.metrics.LabelledClassification;
import io.capstan.quality.metrics.RegressionMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Small reports for the renderers: a classifier whose second class is named like markup, and a regressor. */
final class SampleReports {
    static final String HOSTILE_CLASS = "<script>alert('x')</script>";
    static final Instant START = Instant.parse("2025-05-01T00:00:00Z");
    static final Instant END = Instant.parse("2025-05-02T00:00:00Z");

    private SampleReports() {
    }

    static QualityReport classification() {
        List<String> classes = List.of("cat", HOSTILE_CLASS);
        SplittableRandom random = new SplittableRandom(3);
        List<LabelledClassification> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double p = random.nextDouble();
            String actual = random.nextDouble() < p ? HOSTILE_CLASS : "cat";
            rows.add(new LabelledClassification(actual, p > 0.5 ? HOSTILE_CLASS : "cat", new double[] {1 - p, p}));
        }
        ClassificationQuality champion = ClassificationMetrics.of(classes, rows);
        ClassificationQuality challenger = ClassificationMetrics.of(classes, rows.subList(0, 200));
        Map<String, Long> issues = new LinkedHashMap<>();
        issues.put("unknown_id", 3L);
        issues.put("duplicate_id", 1L);
        issues.put("conflicting_label", 0L);
        return new QualityReport("q-1", "churn & co", Task.CLASSIFICATION, START, END,
                Instant.parse("2025-05-02T00:05:00Z"), "schedule",
                List.of(new VersionQuality("1", 400, 300, 0.75, new FeedbackDelay(300, 3600, 7200, 86_000),
                                Optional.of(champion), Optional.empty()),
                        new VersionQuality("2", 250, 200, 0.8, FeedbackDelay.none(), Optional.of(challenger),
                                Optional.empty())),
                Optional.of(AbTests.proportions("accuracy", 240, 300, 180, 200, 0.05, 0.02)), issues, "duckdb 1.1",
                "reported");
    }

    static QualityReport regression() {
        double[] actual = new double[100];
        double[] predicted = new double[100];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < actual.length; i++) {
            actual[i] = 100 + 10 * random.nextGaussian();
            predicted[i] = actual[i] + random.nextGaussian();
        }
        return new QualityReport("q-2", "prices", Task.REGRESSION, START, END, END, "feedback",
                List.of(new VersionQuality("7", 120, 100, 100.0 / 120, FeedbackDelay.of(new double[] {5, 10, 60}),
                        Optional.empty(), Optional.of(RegressionMetrics.of(actual, predicted)))),
                Optional.empty(), Map.of(), "duckdb 1.1", "alarm");
    }
}
