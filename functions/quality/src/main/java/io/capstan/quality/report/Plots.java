package io.capstan.quality.report;

import io.capstan.quality.abtest.AbComparison;
import io.capstan.quality.metrics.CalibrationBin;
import io.capstan.quality.metrics.ResidualBin;
import java.util.List;
import java.util.Locale;

/** The inline SVG plots of the HTML report; every label that comes from data is escaped. */
final class Plots {
    private static final int SIDE = 260;
    private static final int PAD = 36;
    private static final int WIDTH = 560;
    private static final int HEIGHT = 150;

    private Plots() {
    }

    /** Observed frequency against mean predicted probability per bin, with the diagonal of perfect calibration. */
    static void reliability(StringBuilder html, List<CalibrationBin> bins, String of) {
        int size = SIDE + 2 * PAD;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(size).append("\" height=\"")
                .append(size).append("\" role=\"img\" aria-label=\"reliability curve, ")
                .append(QualityReportHtml.escape(of)).append("\">")
                .append(f("<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", PAD, PAD, SIDE, SIDE))
                .append(f("<line class=\"diagonal\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", PAD, PAD + SIDE,
                        PAD + SIDE, PAD));
        for (double t : new double[] {0, 0.5, 1}) {
            html.append(f("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>", x(t),
                    PAD + SIDE + 13, tick(t)))
                    .append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>", PAD - 4,
                            y(t) + 3, tick(t)));
        }
        html.append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">mean predicted probability"
                + "</text>", PAD + SIDE / 2, size - 6))
                .append(f("<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 "
                        + "%d)\">observed frequency</text>", PAD + SIDE / 2, PAD + SIDE / 2))
                .append("<polyline class=\"curve\" points=\"");
        for (CalibrationBin b : bins) {
            html.append(f("%.1f,%.1f ", x(b.meanPredicted()), y(b.observedFrequency())));
        }
        html.append("\"/>");
        for (CalibrationBin b : bins) {
            html.append(f("<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>(%.2f, %.2f]: %d predictions, "
                    + "mean predicted %.4f, observed %.4f</title></circle>", x(b.meanPredicted()),
                    y(b.observedFrequency()), b.lower(), b.upper(), b.count(), b.meanPredicted(),
                    b.observedFrequency()));
        }
        html.append("</svg>\n");
    }

    /** Residual counts per bin, with a line at 0 when 0 is in range. */
    static void histogram(StringBuilder html, List<ResidualBin> bins) {
        if (bins.isEmpty()) {
            return;
        }
        long max = Math.max(1, bins.stream().mapToLong(ResidualBin::count).max().orElse(1));
        double lo = bins.get(0).lower();
        double hi = bins.get(bins.size() - 1).upper();
        double w = (double) WIDTH / bins.size();
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT + 30).append("\" role=\"img\" aria-label=\"histogram of residuals\">");
        for (int i = 0; i < bins.size(); i++) {
            ResidualBin b = bins.get(i);
            double h = (double) b.count() / max * HEIGHT;
            html.append(f("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>[%s, %s): "
                    + "%d residuals</title></rect>", i * w + 1, HEIGHT - h, Math.max(0.5, w - 2), h,
                    QualityReportHtml.number(b.lower()), QualityReportHtml.number(b.upper()), b.count()));
        }
        if (lo < 0 && hi > 0) {
            double zero = (0 - lo) / (hi - lo) * WIDTH;
            html.append(f("<line class=\"zero\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>", zero, zero, HEIGHT));
        }
        html.append(f("<text x=\"0\" y=\"%d\" font-size=\"11\">%s</text>", HEIGHT + 14, QualityReportHtml.number(lo)))
                .append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>", WIDTH,
                        HEIGHT + 14, QualityReportHtml.number(hi)))
                .append(f("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">residual (actual - "
                        + "predicted)</text>", WIDTH / 2, HEIGHT + 28))
                .append("</svg>\n");
    }

    /** The interval of the difference as a bar, the difference as a dot, and a line at 0. */
    static void interval(StringBuilder html, AbComparison c) {
        double reach = Math.max(Math.abs(c.difference()), Math.max(Math.abs(c.confidenceLow()),
                Math.abs(c.confidenceHigh()))) * 1.25;
        if (!(reach > 0) || Double.isInfinite(reach)) {
            return;
        }
        double mid = WIDTH / 2.0;
        double scale = (mid - 20) / reach;
        double low = mid + c.confidenceLow() * scale;
        double high = mid + c.confidenceHigh() * scale;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"64\" role=\"img\" aria-label=\"interval of the difference\">")
                .append(f("<line class=\"zero\" x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"44\"/>", mid, mid))
                .append(f("<rect class=\"interval\" x=\"%.1f\" y=\"16\" width=\"%.1f\" height=\"16\"/>", low,
                        Math.max(1, high - low)))
                .append(f("<circle class=\"point\" cx=\"%.1f\" cy=\"24\" r=\"5\"><title>difference %s</title>"
                        + "</circle>", mid + c.difference() * scale, QualityReportHtml.number(c.difference())))
                .append(f("<text x=\"%.1f\" y=\"58\" font-size=\"11\" text-anchor=\"end\">%s</text>", low,
                        QualityReportHtml.number(c.confidenceLow())))
                .append(f("<text x=\"%.1f\" y=\"58\" font-size=\"11\">%s</text>", high,
                        QualityReportHtml.number(c.confidenceHigh())))
                .append(f("<text x=\"%.1f\" y=\"12\" font-size=\"10\" text-anchor=\"middle\">0</text>", mid))
                .append("</svg>\n");
    }

    private static double x(double p) {
        return PAD + p * SIDE;
    }

    private static double y(double p) {
        return PAD + (1 - p) * SIDE;
    }

    private static String tick(double t) {
        return t == 0.5 ? "0.5" : String.valueOf((int) t);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
