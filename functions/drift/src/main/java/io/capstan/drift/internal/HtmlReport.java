package io.capstan.drift.internal;

import io.capstan.drift.ColumnDrift;
import io.capstan.drift.DriftReport;
import io.capstan.drift.Overlay;
import io.capstan.drift.TestResult;
import java.util.Locale;

/**
 * A self-contained HTML page: inline CSS, one inline SVG bar chart per column (reference and current shares
 * overlaid), no script, no font or image from outside.
 */
public final class HtmlReport {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 160;

    private HtmlReport() {
    }

    public static String render(DriftReport report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Capstan drift report")
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;")
                .append("text-align:left}.drift{color:#b00020;font-weight:bold}.no_drift{color:#1b5e20}")
                .append(".not_tested{color:#666}.banner{padding:1em;border-radius:6px;margin-bottom:1em}")
                .append(".banner.drift{background:#fdecea}.banner.no_drift{background:#e8f5e9}")
                .append("section{margin:1.5em 0;padding-top:.5em;border-top:1px solid #eee}")
                .append(".ref{fill:#1f77b4;fill-opacity:.55}.cur{fill:#ff7f0e;fill-opacity:.55}</style></head><body>\n");
        String datasetClass = report.datasetDrift() ? "drift" : "no_drift";
        html.append("<div class=\"banner ").append(datasetClass).append("\"><h1>")
                .append(report.datasetDrift() ? "Dataset drift detected" : "No dataset drift").append("</h1><p>")
                .append(report.driftedFeatures()).append(" of ").append(report.testedFeatures())
                .append(" tested features drifted (share ").append(fmt(report.driftedShare()))
                .append(", threshold ").append(fmt(report.driftShare())).append("). Mode: ")
                .append(report.mode().name().toLowerCase(Locale.ROOT)).append("; reference rows ")
                .append(report.referenceRows()).append(", current rows ").append(report.currentRows()).append('.');
        report.predictionDrift().ifPresent(p -> html.append(" Prediction drift: ").append(p ? "yes" : "no")
                .append('.'));
        html.append("</p></div>\n<table><tr><th>column</th><th>kind</th><th>test</th><th>statistic</th>")
                .append("<th>p-value</th><th>threshold</th><th>verdict</th></tr>\n");
        for (ColumnDrift c : report.columns()) {
            String verdict = ReportJson.verdictName(c.verdict());
            TestResult t = c.decisive().orElse(null);
            html.append("<tr><td><a href=\"#col-").append(escape(c.column())).append("\">").append(escape(c.column()))
                    .append("</a></td><td>").append(c.kind().wireName()).append("</td><td>")
                    .append(c.method() == null ? "" : c.method().wireName()).append("</td><td>")
                    .append(t == null ? "" : fmt(t.statistic())).append("</td><td>")
                    .append(t == null ? "" : fmt(t.pValue())).append("</td><td>")
                    .append(t == null ? "" : fmt(t.threshold())).append("</td><td class=\"").append(verdict)
                    .append("\">").append(verdict.replace('_', ' ')).append("</td></tr>\n");
        }
        html.append("</table>\n");
        boolean sketch = report.mode() == DriftReport.Mode.SKETCH;
        for (ColumnDrift c : report.columns()) {
            section(html, c, sketch);
        }
        return html.append("</body></html>\n").toString();
    }

    private static void section(StringBuilder html, ColumnDrift c, boolean sketch) {
        String verdict = ReportJson.verdictName(c.verdict());
        html.append("<section id=\"col-").append(escape(c.column())).append("\"><h2>").append(escape(c.column()))
                .append(" <span class=\"").append(verdict).append("\">").append(verdict.replace('_', ' '))
                .append("</span></h2><p>").append(escape(c.verdict().reason())).append(". ")
                .append(c.role().name().toLowerCase(Locale.ROOT)).append(", ").append(c.kind().wireName())
                .append("; present values: reference ").append(c.referenceCount()).append(", current ")
                .append(c.currentCount()).append(".</p>\n");
        chart(html, c.overlay());
        html.append("<table><tr><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>drift</th>")
                .append(sketch ? "<th>sketch error bound</th></tr>" : "</tr>");
        for (TestResult t : c.tests()) {
            html.append("<tr><td>").append(t.method().wireName()).append(t.method() == c.method() ? " (deciding)" : "")
                    .append("</td><td>").append(fmt(t.statistic())).append("</td><td>").append(fmt(t.pValue()))
                    .append("</td><td>").append(fmt(t.threshold())).append("</td><td>").append(t.drift() ? "yes" : "no")
                    .append(sketch ? "</td><td>" + fmt(t.errorBound()) : "").append("</td></tr>");
        }
        html.append("</table></section>\n");
    }

    private static void chart(StringBuilder html, Overlay overlay) {
        int bins = overlay.labels().size();
        if (bins == 0) {
            return;
        }
        double max = 1e-12;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(overlay.reference().get(i), overlay.current().get(i)));
        }
        double w = (double) WIDTH / bins;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT + 40).append("\" role=\"img\" aria-label=\"reference and current distributions\">");
        for (int i = 0; i < bins; i++) {
            bar(html, "ref", i * w, w, overlay.reference().get(i) / max, overlay.labels().get(i),
                    overlay.reference().get(i));
            bar(html, "cur", i * w, w, overlay.current().get(i) / max, overlay.labels().get(i),
                    overlay.current().get(i));
        }
        html.append("<text x=\"0\" y=\"").append(HEIGHT + 14).append("\" font-size=\"11\">")
                .append(escape(overlay.labels().get(0))).append("</text><text x=\"").append(WIDTH)
                .append("\" y=\"").append(HEIGHT + 14).append("\" font-size=\"11\" text-anchor=\"end\">")
                .append(escape(overlay.labels().get(bins - 1))).append("</text>")
                .append("<rect class=\"ref\" x=\"0\" y=\"").append(HEIGHT + 24).append("\" width=\"12\" height=\"10\"/>")
                .append("<text x=\"16\" y=\"").append(HEIGHT + 33).append("\" font-size=\"11\">reference</text>")
                .append("<rect class=\"cur\" x=\"90\" y=\"").append(HEIGHT + 24).append("\" width=\"12\" height=\"10\"/>")
                .append("<text x=\"106\" y=\"").append(HEIGHT + 33).append("\" font-size=\"11\">current</text></svg>\n");
    }

    private static void bar(StringBuilder html, String cls, double x, double w, double scaled, String label,
            double share) {
        double h = scaled * HEIGHT;
        html.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                + "<title>%s: %s %.4f</title></rect>", cls, x + 1, HEIGHT - h, Math.max(0.5, w - 2), h, escape(label),
                cls.equals("ref") ? "reference" : "current", share));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
