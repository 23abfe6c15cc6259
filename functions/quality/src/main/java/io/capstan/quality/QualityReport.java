package io.capstan.quality;

import io.capstan.quality.abtest.AbComparison;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One quality check of a registered model: the quality of each version that served in a window, measured
 * against the ground truth that arrived, the champion-challenger comparison when two versions served, and what
 * the check did next. {@link io.capstan.quality.report.QualityReportJson} and
 * {@link io.capstan.quality.report.QualityReportHtml} render it.
 *
 * @param reportId identifies the report
 * @param model the registered model's name
 * @param task classification or regression; every version's metrics are of this task
 * @param windowStart start of the window of predictions, inclusive
 * @param windowEnd end of the window, exclusive; not before the start
 * @param checkedAt when the check ran
 * @param trigger what started the check, e.g. {@code "schedule"} or {@code "feedback"}
 * @param versions one entry per version that served in the window, champion first by convention
 * @param abTest the challenger against the champion, when two versions served
 * @param feedbackIssues feedback that could not be used, by kind (e.g. {@code unknown_id}, {@code duplicate_id},
 *     {@code conflicting_label}) with its count, in the given order
 * @param engine what computed the join, e.g. {@code "duckdb 1.1"}
 * @param decision what happened after: {@code "reported"}, {@code "alarm"}, {@code "retraining started …"}
 */
public record QualityReport(String reportId, String model, Task task, Instant windowStart, Instant windowEnd,
        Instant checkedAt, String trigger, List<VersionQuality> versions, Optional<AbComparison> abTest,
        Map<String, Long> feedbackIssues, String engine, String decision) {

    public QualityReport {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(abTest, "abTest");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(decision, "decision");
        if (windowEnd.isBefore(windowStart)) {
            throw new IllegalArgumentException("windowEnd " + windowEnd + " is before windowStart " + windowStart);
        }
        versions = List.copyOf(versions);
        for (VersionQuality v : versions) {
            if (task == Task.CLASSIFICATION ? v.regression().isPresent() : v.classification().isPresent()) {
                throw new IllegalArgumentException("version " + v.version() + " carries metrics of another task than "
                        + task + "; a report measures one task");
            }
        }
        feedbackIssues = Collections.unmodifiableMap(new LinkedHashMap<>(feedbackIssues));
        feedbackIssues.forEach((kind, count) -> {
            if (kind == null || count == null || count < 0) {
                throw new IllegalArgumentException("feedback issue " + kind + " has count " + count
                        + "; kinds and counts must be present and counts not negative");
            }
        });
    }
}
