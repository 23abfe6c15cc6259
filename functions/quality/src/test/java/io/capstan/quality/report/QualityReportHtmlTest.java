package io.capstan.quality.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.quality.QualityReport;
import io.capstan.quality.abtest.AbComparison;
import io.capstan.quality.metrics.ClassificationQuality;
import io.capstan.quality.metrics.RegressionQuality;
import org.junit.jupiter.api.Test;

class QualityReportHtmlTest {

    @Test
    void render_classificationReport_showsTheFiguresPlotsAndAbTest() {
        QualityReport report = SampleReports.classification();
        ClassificationQuality q = report.versions().get(0).classification().orElseThrow();
        AbComparison ab = report.abTest().orElseThrow();

        String html = QualityReportHtml.render(report);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("Version 1", "Version 2", "Confusion matrix",
                "Reliability", "Feedback issues", "unknown_id", "duckdb 1.1", "reported");
        assertThat(html).contains(QualityReportHtml.number(q.accuracy()), QualityReportHtml.number(q.macro().f1()),
                QualityReportHtml.number(q.logLoss().orElseThrow()), QualityReportHtml.number(ab.pValue()),
                QualityReportHtml.number(ab.confidenceLow()), QualityReportHtml.number(ab.confidenceHigh()));
        assertThat(html).contains("<td class=\"s8\">" + Math.max(q.confusion()[0][0], q.confusion()[1][1]) + "</td>");
        assertThat(html).contains("class=\"diagonal\"", "aria-label=\"interval of the difference\"");
        assertThat(html.split("<svg", -1)).as("two reliability curves and the interval").hasSize(4);
    }

    @Test
    void render_maliciousClassName_isEscapedEverywhere() {
        String html = QualityReportHtml.render(SampleReports.classification());

        assertThat(html).doesNotContain(SampleReports.HOSTILE_CLASS).doesNotContain("<script")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").contains("churn &amp; co");
    }

    @Test
    void render_anyReport_isSelfContained() {
        for (QualityReport report : new QualityReport[] {SampleReports.classification(), SampleReports.regression()}) {
            String html = QualityReportHtml.render(report);

            assertThat(html).doesNotContain("<script", "src=", "href=", "@import", "url(", "<link");
            assertThat(html.split("<style>", -1)).hasSize(2);
        }
    }

    @Test
    void render_regressionReport_showsErrorsAndResidualHistogram() {
        QualityReport report = SampleReports.regression();
        RegressionQuality q = report.versions().get(0).regression().orElseThrow();

        String html = QualityReportHtml.render(report);

        assertThat(html).contains("MAE", "RMSE", "R²", QualityReportHtml.number(q.mae()),
                QualityReportHtml.number(q.rmse()), QualityReportHtml.number(q.r2()),
                QualityReportHtml.number(q.residualQuantiles().get("p50")), "histogram of residuals");
        assertThat(html.split("class=\"bar\"", -1)).hasSize(21);
        assertThat(html).doesNotContain("Champion against challenger").contains("<p>None.</p>");
    }
}
