package io.capstan.drift.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.ColumnDrift;
import io.capstan.drift.DriftReport;
import io.capstan.drift.TestResult;
import io.capstan.drift.Verdict;
import java.util.Locale;

/**
 * The report as JSON: snake_case, one entry per column with its deciding test's figures at the top level and
 * every test under {@code tests}. NaN (a p-value of a distance, an unknown bound) is written as null, an
 * infinite statistic as the string "Infinity".
 */
public final class ReportJson {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportJson() {
    }

    public static byte[] write(DriftReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", report.mode().name().toLowerCase(Locale.ROOT));
        root.put("dataset_drift", report.datasetDrift());
        root.put("drifted_features", report.driftedFeatures());
        root.put("tested_features", report.testedFeatures());
        number(root, "drifted_share", report.driftedShare());
        number(root, "drift_share_threshold", report.driftShare());
        report.predictionDrift().ifPresentOrElse(p -> root.put("prediction_drift", p), () -> root.putNull(
                "prediction_drift"));
        root.put("reference_rows", report.referenceRows());
        root.put("current_rows", report.currentRows());
        ArrayNode columns = root.putArray("columns");
        for (ColumnDrift c : report.columns()) {
            ObjectNode col = columns.addObject();
            col.put("column", c.column());
            col.put("kind", c.kind().wireName());
            col.put("role", c.role().name().toLowerCase(Locale.ROOT));
            col.put("verdict", verdictName(c.verdict()));
            col.put("reason", c.verdict().reason());
            col.put("reference_count", c.referenceCount());
            col.put("current_count", c.currentCount());
            if (c.method() != null) {
                col.put("method", c.method().wireName());
            }
            c.decisive().ifPresent(t -> {
                number(col, "statistic", t.statistic());
                number(col, "p_value", t.pValue());
                number(col, "threshold", t.threshold());
            });
            ArrayNode tests = col.putArray("tests");
            for (TestResult t : c.tests()) {
                ObjectNode test = tests.addObject();
                test.put("method", t.method().wireName());
                number(test, "statistic", t.statistic());
                number(test, "p_value", t.pValue());
                number(test, "threshold", t.threshold());
                test.put("drift", t.drift());
                number(test, "error_bound", t.errorBound());
                if (t.method().pValueTest() && report.mode() == DriftReport.Mode.SKETCH) {
                    ArrayNode range = test.putArray("p_value_range");
                    range.add(t.pValueLow());
                    range.add(t.pValueHigh());
                }
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report cannot be written as JSON", e);
        }
    }

    static String verdictName(Verdict v) {
        if (v instanceof Verdict.Drift) {
            return "drift";
        }
        return v instanceof Verdict.NoDrift ? "no_drift" : "not_tested";
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else if (Double.isInfinite(value)) {
            node.put(field, value > 0 ? "Infinity" : "-Infinity");
        } else {
            node.put(field, value);
        }
    }
}
