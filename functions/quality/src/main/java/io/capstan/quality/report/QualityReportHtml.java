package io.capstan.quality.report;

import io.capstan.quality.FeedbackDelay;
import io.capstan.quality.QualityReport;
import io.capstan.quality.VersionQuality;
import io.capstan.quality.abtest.AbComparison;
import io.capstan.quality.abtest.AbVerdict;
import io.capstan.quality.metrics.ClassScores;
import io.capstan.quality.metrics.ClassificationQuality;
import io.capstan.quality.metrics.RegressionQuality;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A quality report as one self-contained HTML page: one constant style block, tables, inline SVG plots (the
 * reliability curve or the residual histogram per version, the A/B interval), no script, nothing loaded from
 * elsewhere. Every string that comes from the report is escaped.
 */
public final class QualityReportHtml {
    private static final String STYLE = "<style>body{font-family:sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:.5em 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;"
            + "text-align:left}td.n{text-align:right}section{margin:1.5em 0;padding-top:.5em;border-top:1px solid #eee}"
            + ".banner{padding:1em;border-radius:6px;background:#f3f3f3}.better{color:#1b5e20;font-weight:bold}"
            + ".worse{color:#b00020;font-weight:bold}.unknown{color:#666;font-weight:bold}"
            + "table.grid td{text-align:right;min-width:3em}.s0{background:#f7fbff}.s1{background:#deebf7}"
            + ".s2{background:#c6dbef}.s3{background:#9ecae1}.s4{background:#6baed6}.s5{background:#4292c6;color:#fff}"
            + ".s6{background:#2171b5;color:#fff}.s7{background:#08519c;color:#fff}.s8{background:#08306b;color:#fff}"
            + ".frame{fill:none;stroke:#999}.diagonal{stroke:#999;stroke-dasharray:4 3}.curve{fill:none;stroke:#1f77b4;"
            + "stroke-width:2}.point{fill:#1f77b4}.bar{fill:#1f77b4;fill-opacity:.7}.zero{stroke:#b00020}"
            + ".interval{fill:#ff7f0e;fill-opacity:.6}</style>";
    private static final int SHADES = 9;

    private QualityReportHtml() {
    }

    public static String render(QualityReport report) {
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Capstan quality report: ")
                .append(escape(report.model())).append("</title>\n").append(STYLE).append("</head><body>\n")
                .append("<div class=\"banner\"><h1>Quality of ").append(escape(report.model())).append("</h1><p>")
                .append(lower(report.task())).append(" model; predictions from ").append(report.windowStart())
                .append(" to ").append(report.windowEnd()).append("; checked at ").append(report.checkedAt())
                .append(" (").append(escape(report.trigger())).append(") with ").append(escape(report.engine()))
                .append(".</p><p>Decision: <strong>").append(escape(report.decision())).append("</strong>. Report ")
                .append(escape(report.reportId())).append(".</p></div>\n");
        report.abTest().ifPresent(c -> abTest(html, c));
        for (VersionQuality v : report.versions()) {
            version(html, v);
        }
        feedbackIssues(html, report.feedbackIssues());
        return html.append("</body></html>\n").toString();
    }

    private static String version(String version) {
        return version == null ? "" : "v" + escape(version) + ": ";
    }

    private static void abTest(StringBuilder html, AbComparison c) {
        String cls = c.verdict() == AbVerdict.CHALLENGER_BETTER ? "better"
                : c.verdict() == AbVerdict.CHALLENGER_WORSE ? "worse" : "unknown";
        html.append("<section><h2>Champion against challenger: <span class=\"").append(cls).append("\">")
                .append(lower(c.verdict()).replace('_', ' ')).append("</span></h2><p>").append(escape(c.reason()))
                .append("</p>\n");
        Plots.interval(html, c);
        html.append("<table>");
        row(html, "metric", escape(c.metric()) + (c.higherIsBetter() ? " (higher is better)" : " (lower is better)"));
        row(html, "test", escape(c.test()));
        row(html, "champion", version(c.championVersion()) + number(c.champion()) + " on " + c.championRows() + " rows");
        row(html, "challenger", version(c.challengerVersion()) + number(c.challenger()) + " on " + c.challengerRows()
                + " rows");
        row(html, "difference", signed(c.difference()) + " (challenger - champion)");
        row(html, "interval", signed(c.confidenceLow()) + " to " + signed(c.confidenceHigh()) + " ("
                + plain((1 - c.alpha()) * 100) + "%)");
        row(html, "p-value", number(c.pValue()) + " (alpha " + plain(c.alpha()) + ")");
        row(html, "rows needed per arm", c.rowsNeededPerArm() == 0 ? "not computable"
                : c.rowsNeededPerArm() + " to detect " + plain(c.minimumDetectableEffect()));
        html.append("</table></section>\n");
    }

    private static void version(StringBuilder html, VersionQuality v) {
        FeedbackDelay d = v.feedbackDelay();
        html.append("<section><h2>Version ").append(escape(v.version())).append("</h2><table>");
        row(html, "predictions", String.valueOf(v.predictions()));
        row(html, "labelled", v.labelled() + " (coverage " + number(v.labelCoverage()) + ")");
        row(html, "feedback delay", "median " + seconds(d.p50Seconds()) + ", p90 " + seconds(d.p90Seconds())
                + ", max " + seconds(d.maxSeconds()));
        v.classification().ifPresent(q -> {
            row(html, "accuracy", number(q.accuracy()));
            row(html, "macro F1", number(q.macro().f1()));
            q.logLoss().ifPresent(x -> row(html, "log loss", number(x)));
            q.brier().ifPresent(x -> row(html, "Brier score", number(x)));
        });
        v.regression().ifPresent(q -> {
            row(html, "MAE", number(q.mae()));
            row(html, "RMSE", number(q.rmse()));
            row(html, "R²", number(q.r2()));
            row(html, "mean residual", number(q.meanResidual()));
        });
        html.append("</table>\n");
        v.classification().ifPresent(q -> classification(html, q));
        v.regression().ifPresent(q -> regression(html, q));
        html.append("</section>\n");
    }

    private static void classification(StringBuilder html, ClassificationQuality q) {
        html.append("<h3>Per class</h3><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>")
                .append("<th>support</th></tr>");
        q.perClass().forEach((name, s) -> scores(html, escape(name), s));
        scores(html, "macro average", q.macro());
        scores(html, "weighted average", q.weighted());
        html.append("</table>\n<h3>Confusion matrix</h3><table class=\"grid\"><tr><th>actual \\ predicted</th>");
        List<String> classes = q.classes();
        classes.forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
        html.append("</tr>");
        long[][] confusion = q.confusion();
        long max = 1;
        for (long[] r : confusion) {
            for (long count : r) {
                max = Math.max(max, count);
            }
        }
        for (int a = 0; a < confusion.length; a++) {
            html.append("<tr><th>").append(escape(classes.get(a))).append("</th>");
            for (long count : confusion[a]) {
                html.append("<td class=\"s").append(Math.round((double) count / max * (SHADES - 1))).append("\">")
                        .append(count).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>\n");
        if (!q.reliability().isEmpty()) {
            html.append("<h3>Reliability (").append(escape(q.calibrationOf())).append(")</h3>\n");
            Plots.reliability(html, q.reliability(), q.calibrationOf());
        }
    }

    private static void regression(StringBuilder html, RegressionQuality q) {
        html.append("<h3>Residuals</h3><table><tr>");
        q.residualQuantiles().keySet().forEach(k -> html.append("<th>").append(escape(k)).append("</th>"));
        html.append("</tr><tr>");
        q.residualQuantiles().values().forEach(x -> html.append("<td class=\"n\">").append(number(x)).append("</td>"));
        html.append("</tr></table>\n");
        Plots.histogram(html, q.residualHistogram());
    }

    private static void feedbackIssues(StringBuilder html, Map<String, Long> issues) {
        html.append("<section><h2>Feedback issues</h2>");
        if (issues.isEmpty()) {
            html.append("<p>None.</p></section>\n");
            return;
        }
        html.append("<table><tr><th>issue</th><th>count</th></tr>");
        issues.forEach((kind, count) -> html.append("<tr><td>").append(escape(kind)).append("</td><td class=\"n\">")
                .append(count).append("</td></tr>"));
        html.append("</table></section>\n");
    }

    private static void scores(StringBuilder html, String name, ClassScores s) {
        html.append("<tr><td>").append(name).append("</td><td class=\"n\">").append(number(s.precision()))
                .append("</td><td class=\"n\">").append(number(s.recall())).append("</td><td class=\"n\">")
                .append(number(s.f1())).append("</td><td class=\"n\">").append(s.support()).append("</td></tr>");
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th>").append(label).append("</th><td>").append(value).append("</td></tr>");
    }

    private static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "n/a";
        }
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        return s < 7200 ? String.format(Locale.ROOT, "%.1f min", s / 60)
                : s < 172_800 ? String.format(Locale.ROOT, "%.1f h", s / 3600)
                : String.format(Locale.ROOT, "%.1f d", s / 86_400);
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "") + number(v);
    }

    private static String plain(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : "n/a";
    }

    /** Four decimals between 0.001 and a million, four significant digits outside; "n/a" for NaN. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a == 0 || (a >= 1e-3 && a < 1e6) ? "%.4f" : "%.4g", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
