package io.capstan.quality.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.quality.FeedbackDelay;
import io.capstan.quality.QualityReport;
import io.capstan.quality.VersionQuality;
import io.capstan.quality.abtest.AbComparison;
import io.capstan.quality.metrics.CalibrationBin;
import io.capstan.quality.metrics.ClassScores;
import io.capstan.quality.metrics.ClassificationQuality;
import io.capstan.quality.metrics.RegressionQuality;
import io.capstan.quality.metrics.ResidualBin;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A quality report as JSON: snake_case keys, instants as ISO-8601 strings, enums in lower case, NaN and infinite
 * numbers as null, an absent section ({@code classification}, {@code regression}, {@code ab_test}) as null.
 */
public final class QualityReportJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QualityReportJson() {
    }

    public static ObjectNode toJson(QualityReport report) {
        ObjectNode root = NODES.objectNode();
        root.put("report_id", report.reportId());
        root.put("model", report.model());
        root.put("task", lower(report.task()));
        root.put("window_start", report.windowStart().toString());
        root.put("window_end", report.windowEnd().toString());
        root.put("checked_at", report.checkedAt().toString());
        root.put("trigger", report.trigger());
        root.put("engine", report.engine());
        root.put("decision", report.decision());
        ArrayNode versions = root.putArray("versions");
        report.versions().forEach(v -> versions.add(version(v)));
        root.set("ab_test", report.abTest().map(QualityReportJson::abTest).orElse(null));
        ObjectNode issues = root.putObject("feedback_issues");
        report.feedbackIssues().forEach(issues::put);
        return root;
    }

    private static ObjectNode version(VersionQuality v) {
        ObjectNode node = NODES.objectNode();
        node.put("version", v.version());
        node.put("predictions", v.predictions());
        node.put("labelled", v.labelled());
        number(node, "label_coverage", v.labelCoverage());
        FeedbackDelay d = v.feedbackDelay();
        ObjectNode delay = node.putObject("feedback_delay");
        delay.put("labelled", d.labelled());
        number(delay, "p50_seconds", d.p50Seconds());
        number(delay, "p90_seconds", d.p90Seconds());
        number(delay, "max_seconds", d.maxSeconds());
        node.set("classification", v.classification().map(QualityReportJson::classification).orElse(null));
        node.set("regression", v.regression().map(QualityReportJson::regression).orElse(null));
        return node;
    }

    private static ObjectNode classification(ClassificationQuality q) {
        ObjectNode node = NODES.objectNode();
        node.put("rows", q.rows());
        ArrayNode classes = node.putArray("classes");
        q.classes().forEach(classes::add);
        number(node, "accuracy", q.accuracy());
        ObjectNode perClass = node.putObject("per_class");
        q.perClass().forEach((name, scores) -> perClass.set(name, scores(scores)));
        node.set("macro", scores(q.macro()));
        node.set("weighted", scores(q.weighted()));
        ArrayNode confusion = node.putArray("confusion");
        for (long[] row : q.confusion()) {
            ArrayNode r = confusion.addArray();
            for (long count : row) {
                r.add(count);
            }
        }
        optional(node, "log_loss", q.logLoss());
        optional(node, "brier", q.brier());
        node.put("calibration_of", q.calibrationOf());
        ArrayNode reliability = node.putArray("reliability");
        for (CalibrationBin b : q.reliability()) {
            ObjectNode bin = reliability.addObject();
            number(bin, "lower", b.lower());
            number(bin, "upper", b.upper());
            bin.put("count", b.count());
            number(bin, "mean_predicted", b.meanPredicted());
            number(bin, "observed_frequency", b.observedFrequency());
        }
        return node;
    }

    private static ObjectNode scores(ClassScores s) {
        ObjectNode node = NODES.objectNode();
        number(node, "precision", s.precision());
        number(node, "recall", s.recall());
        number(node, "f1", s.f1());
        node.put("support", s.support());
        return node;
    }

    private static ObjectNode regression(RegressionQuality q) {
        ObjectNode node = NODES.objectNode();
        node.put("rows", q.rows());
        number(node, "mae", q.mae());
        number(node, "rmse", q.rmse());
        number(node, "r2", q.r2());
        number(node, "mean_residual", q.meanResidual());
        ObjectNode quantiles = node.putObject("residual_quantiles");
        for (Map.Entry<String, Double> e : q.residualQuantiles().entrySet()) {
            number(quantiles, e.getKey(), e.getValue());
        }
        ArrayNode histogram = node.putArray("residual_histogram");
        for (ResidualBin b : q.residualHistogram()) {
            ObjectNode bin = histogram.addObject();
            number(bin, "lower", b.lower());
            number(bin, "upper", b.upper());
            bin.put("count", b.count());
        }
        return node;
    }

    private static ObjectNode abTest(AbComparison c) {
        ObjectNode node = NODES.objectNode();
        node.put("metric", c.metric());
        node.put("test", c.test());
        node.put("higher_is_better", c.higherIsBetter());
        node.put("champion_version", c.championVersion());
        node.put("challenger_version", c.challengerVersion());
        number(node, "champion", c.champion());
        number(node, "challenger", c.challenger());
        number(node, "difference", c.difference());
        number(node, "confidence_low", c.confidenceLow());
        number(node, "confidence_high", c.confidenceHigh());
        number(node, "p_value", c.pValue());
        number(node, "alpha", c.alpha());
        node.put("champion_rows", c.championRows());
        node.put("challenger_rows", c.challengerRows());
        node.put("rows_needed_per_arm", c.rowsNeededPerArm());
        number(node, "minimum_detectable_effect", c.minimumDetectableEffect());
        node.put("verdict", lower(c.verdict()));
        node.put("reason", c.reason());
        return node;
    }

    private static void optional(ObjectNode node, String field, OptionalDouble value) {
        number(node, field, value.orElse(Double.NaN));
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
