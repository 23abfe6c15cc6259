package io.capstan.quality.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.quality.QualityReport;
import io.capstan.quality.abtest.AbComparison;
import io.capstan.quality.metrics.ClassificationQuality;
import io.capstan.quality.metrics.RegressionQuality;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class QualityReportJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void toJson_classificationReport_roundTripsTheFiguresThatMatter() throws IOException {
        QualityReport report = SampleReports.classification();
        ClassificationQuality q = report.versions().get(0).classification().orElseThrow();

        JsonNode json = JSON.readTree(JSON.writeValueAsString(QualityReportJson.toJson(report)));

        assertThat(json.get("report_id").asText()).isEqualTo("q-1");
        assertThat(json.get("model").asText()).isEqualTo("churn & co");
        assertThat(json.get("task").asText()).isEqualTo("classification");
        assertThat(json.get("window_start").asText()).isEqualTo("2025-05-01T00:00:00Z");
        assertThat(json.get("engine").asText()).isEqualTo("duckdb 1.1");
        assertThat(json.get("decision").asText()).isEqualTo("reported");
        JsonNode v = json.get("versions").get(0);
        assertThat(v.get("version").asText()).isEqualTo("1");
        assertThat(v.get("label_coverage").asDouble()).isEqualTo(0.75);
        assertThat(v.get("feedback_delay").get("p90_seconds").asDouble()).isEqualTo(7200);
        assertThat(v.get("regression").isNull()).isTrue();
        JsonNode c = v.get("classification");
        assertThat(c.get("accuracy").asDouble()).isEqualTo(q.accuracy());
        assertThat(c.get("classes").get(1).asText()).isEqualTo(SampleReports.HOSTILE_CLASS);
        assertThat(c.get("per_class").get("cat").get("f1").asDouble()).isEqualTo(q.perClass().get("cat").f1());
        assertThat(c.get("macro").get("support").asLong()).isEqualTo(300);
        assertThat(c.get("weighted").get("recall").asDouble()).isEqualTo(q.weighted().recall());
        assertThat(c.get("confusion").get(1).get(0).asLong()).isEqualTo(q.confusion()[1][0]);
        assertThat(c.get("log_loss").asDouble()).isEqualTo(q.logLoss().orElseThrow());
        assertThat(c.get("brier").asDouble()).isEqualTo(q.brier().orElseThrow());
        assertThat(c.get("calibration_of").asText()).isEqualTo("positive class " + SampleReports.HOSTILE_CLASS);
        assertThat(c.get("reliability")).hasSize(q.reliability().size());
        assertThat(c.get("reliability").get(0).get("observed_frequency").asDouble())
                .isEqualTo(q.reliability().get(0).observedFrequency());
        assertThat(json.get("versions").get(1).get("feedback_delay").get("p50_seconds").isNull())
                .as("NaN is written as null").isTrue();
        AbComparison ab = report.abTest().orElseThrow();
        JsonNode a = json.get("ab_test");
        assertThat(a.get("verdict").asText()).isEqualTo(ab.verdict().name().toLowerCase());
        assertThat(a.get("p_value").asDouble()).isEqualTo(ab.pValue());
        assertThat(a.get("confidence_low").asDouble()).isEqualTo(ab.confidenceLow());
        assertThat(a.get("rows_needed_per_arm").asLong()).isEqualTo(ab.rowsNeededPerArm());
        assertThat(a.get("reason").asText()).isEqualTo(ab.reason());
        assertThat(json.get("feedback_issues").get("unknown_id").asLong()).isEqualTo(3);
        assertThat(json.get("feedback_issues").fieldNames()).toIterable()
                .containsExactly("unknown_id", "duplicate_id", "conflicting_label");
    }

    @Test
    void toJson_regressionReport_holdsResidualsAndNullAbTest() throws IOException {
        QualityReport report = SampleReports.regression();
        RegressionQuality q = report.versions().get(0).regression().orElseThrow();

        JsonNode json = JSON.readTree(JSON.writeValueAsString(QualityReportJson.toJson(report)));

        assertThat(json.get("task").asText()).isEqualTo("regression");
        assertThat(json.get("ab_test").isNull()).isTrue();
        JsonNode r = json.get("versions").get(0).get("regression");
        assertThat(r.get("mae").asDouble()).isEqualTo(q.mae());
        assertThat(r.get("rmse").asDouble()).isEqualTo(q.rmse());
        assertThat(r.get("r2").asDouble()).isEqualTo(q.r2());
        assertThat(r.get("residual_quantiles").get("p95").asDouble()).isEqualTo(q.residualQuantiles().get("p95"));
        assertThat(r.get("residual_histogram")).hasSize(20);
        assertThat(r.get("residual_histogram").get(0).get("count").asLong())
                .isEqualTo(q.residualHistogram().get(0).count());
        assertThat(json.get("versions").get(0).get("classification").isNull()).isTrue();
        assertThat(json.get("feedback_issues")).isEmpty();
    }
}
