package io.capstan.drift;

import io.capstan.drift.internal.HtmlReport;
import io.capstan.drift.internal.ReportJson;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one drift check.
 *
 * @param mode exact (two samples) or sketch (streaming sketches against a reference profile)
 * @param referenceRows rows in the reference
 * @param currentRows rows in the current data
 * @param columns one entry per compared column, features first
 * @param driftShare the share of tested features that must drift for dataset drift (inclusive)
 */
public record DriftReport(Mode mode, long referenceRows, long currentRows, List<ColumnDrift> columns,
        double driftShare) {

    /** How the columns were compared. */
    public enum Mode {
        EXACT,
        SKETCH
    }

    public DriftReport {
        Objects.requireNonNull(mode, "mode");
        columns = List.copyOf(columns);
    }

    /** Features whose verdict is drift or no drift. */
    public long testedFeatures() {
        return features().filter(c -> !(c.verdict() instanceof Verdict.NotTested)).count();
    }

    public long driftedFeatures() {
        return features().filter(ColumnDrift::drifted).count();
    }

    /** Drifted over tested features; 0 with none tested. */
    public double driftedShare() {
        long tested = testedFeatures();
        return tested == 0 ? 0 : (double) driftedFeatures() / tested;
    }

    /** Dataset drift: at least {@code driftShare} of the tested features drifted (and at least one was tested). */
    public boolean datasetDrift() {
        return testedFeatures() > 0 && driftedShare() >= driftShare;
    }

    /** Whether any model output column drifted; empty when no output column was compared. */
    public Optional<Boolean> predictionDrift() {
        List<ColumnDrift> outputs = columns.stream().filter(c -> c.role() == ColumnRole.PREDICTION).toList();
        return outputs.isEmpty() ? Optional.empty() : Optional.of(outputs.stream().anyMatch(ColumnDrift::drifted));
    }

    /** The report as one JSON document (UTF-8). */
    public byte[] toJson() {
        return ReportJson.write(this);
    }

    /** The report as a self-contained HTML page: inline SVG and CSS, no script, no external resource. */
    public String toHtml() {
        return HtmlReport.render(this);
    }

    private java.util.stream.Stream<ColumnDrift> features() {
        return columns.stream().filter(c -> c.role() == ColumnRole.FEATURE);
    }
}
