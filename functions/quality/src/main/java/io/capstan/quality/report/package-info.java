/**
 * Renders a {@link io.capstan.quality.QualityReport}: {@link io.capstan.quality.report.QualityReportJson} as
 * snake_case JSON (NaN and infinite numbers as null) and {@link io.capstan.quality.report.QualityReportHtml} as
 * one self-contained HTML page with tables and inline SVG plots, no script and nothing loaded from elsewhere.
 */
package io.capstan.quality.report;
