package io.capstan.drift.monitoring;

import static io.capstan.drift.testutils.DriftTestPlatform.ARTIFACTS;
import static io.capstan.drift.testutils.DriftTestPlatform.CAPTURE;
import static io.capstan.drift.testutils.DriftTestPlatform.DATASETS;
import static io.capstan.drift.testutils.DriftTestPlatform.noShift;
import static io.capstan.drift.testutils.DriftTestPlatform.shiftAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.drift.ColumnDrift;
import io.capstan.drift.DriftMethod;
import io.capstan.drift.DriftReport;
import io.capstan.drift.testutils.DriftTestPlatform;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.monitoring.DriftSummary;
import io.capstan.provenance.Provenance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:20:00Z");
    private static DriftTestPlatform platform;
    private static DriftMonitor monitor;

    @BeforeAll
    static void start() throws Exception {
        platform = new DriftTestPlatform();
        monitor = platform.monitor(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void trafficCheck_unshiftedTraffic_noDriftReportsWrittenAndRecorded() {
        platform.registerChampion("steady", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("steady", 1, 3000, noShift(), NOW.minusSeconds(600), 3, 1);

        DriftSummary summary = checked(monitor.check(DriftCheckRequest.scheduled("steady"))).summary();

        assertThat(summary.datasetDrift()).isFalse();
        assertThat(summary.mode()).isEqualTo("sketch");
        assertThat(summary.trigger()).isEqualTo("schedule");
        assertThat(summary.version()).isEqualTo("1");
        assertThat(summary.currentRows()).isEqualTo(3000);
        assertThat(summary.referenceRows()).isEqualTo(platform.reference[0].length);
        assertThat(summary.decision()).isEqualTo("no dataset drift");
        assertThat(summary.jsonUri()).startsWith("s3://" + CAPTURE + "/reports/steady/" + summary.reportId() + "/");
        assertThat(platform.read(summary.jsonUri())).contains("\"dataset_drift\"");
        assertThat(platform.read(summary.htmlUri())).startsWith("<!DOCTYPE html>").contains("mean_radius");
        assertThat(platform.store.summary("steady", summary.reportId())).contains(summary);
        assertThat(platform.published).contains(summary);
    }

    @Test
    void trafficCheck_shiftedTraffic_flagsEveryShiftedFeature() {
        platform.registerChampion("shifted", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("shifted", 1, 3000, new double[] {1, 1, 1, 0, 0}, NOW.minusSeconds(60), 2, 2);

        DriftReport report = checked(monitor.check(DriftCheckRequest.scheduled("shifted"))).report();

        assertThat(report.mode()).isEqualTo(DriftReport.Mode.SKETCH);
        assertThat(report.columns()).filteredOn(ColumnDrift::drifted).extracting(ColumnDrift::column)
                .containsExactlyInAnyOrder("mean_radius", "mean_texture", "mean_perimeter");
        assertThat(report.driftedShare()).isEqualTo(0.6);
        assertThat(report.datasetDrift()).isTrue();
    }

    @Test
    void trafficCheck_onlySketchesFlushedInsideTheWindowCount() {
        platform.registerChampion("windowed", Map.of(DriftSettings.WINDOW_HOURS, "1"), true, Provenance.UNKNOWN);
        platform.capture("windowed", 1, 500, noShift(), NOW.minusSeconds(1800), 1, 3);
        platform.capture("windowed", 1, 700, shiftAll(2), NOW.minus(Duration.ofMinutes(61)), 1, 4);
        platform.capture("windowed", 1, 900, shiftAll(2), NOW.minus(Duration.ofHours(5)), 1, 5);

        DriftSummary summary = checked(monitor.check(DriftCheckRequest.scheduled("windowed"))).summary();

        assertThat(summary.currentRows()).isEqualTo(500);
        assertThat(summary.datasetDrift()).isFalse();
        DriftSummary wider = checked(monitor.check(new DriftCheckRequest("windowed", DriftCheckRequest.API,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Duration.ofHours(2)), List.of())))
                .summary();
        assertThat(wider.currentRows()).isEqualTo(1200);
    }

    @Test
    void trafficCheck_tooLittleTraffic_skippedWithTheCounts() {
        platform.registerChampion("quiet", Map.of(DriftSettings.MIN_ROWS, "200"), true, Provenance.UNKNOWN);
        platform.capture("quiet", 1, 150, noShift(), NOW.minusSeconds(60), 1, 6);

        DriftCheckOutcome outcome = monitor.check(DriftCheckRequest.scheduled("quiet"));

        assertThat(outcome).isInstanceOf(DriftCheckOutcome.Skipped.class);
        assertThat(((DriftCheckOutcome.Skipped) outcome).reason()).contains("150 rows").contains("at least 200");
        assertThat(platform.store.summaries("quiet", 10)).isEmpty();
    }

    @Test
    void trafficCheck_versionWithoutProfile_explainsWhatToDo() {
        platform.registerChampion("noprofile", Map.of(), false, Provenance.UNKNOWN);

        assertThatThrownBy(() -> monitor.check(DriftCheckRequest.scheduled("noprofile")))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("profile.json").contains("dataset_uri");
                });
    }

    @Test
    void check_profileChangedAfterRegistration_isRefusedAndNothingIsCompared() {
        String folder = platform.registerChampionWithManifest("tampered");
        platform.capture("tampered", 1, 400, noShift(), NOW.minusSeconds(600), 1, 7);
        byte[] registered = platform.referenceProfile().toJson();
        byte[] edited = java.util.Arrays.copyOf(registered, registered.length + 1);
        edited[registered.length] = ' ';

        platform.put(ARTIFACTS, folder + "profile.json", edited);

        assertThatThrownBy(() -> monitor.check(DriftCheckRequest.scheduled("tampered")))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("changed after registration").contains("profile.json");
                });
        assertThat(platform.store.summaries("tampered", 10)).isEmpty();
    }

    @Test
    void check_unknownModelOrNoChampion_clearErrors() {
        assertThatThrownBy(() -> monitor.check(DriftCheckRequest.scheduled("nobody")))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        long now = NOW.toEpochMilli();
        platform.registry.createModel(new io.capstan.registry.RegisteredModel("unpromoted", now, now, "", Map.of(),
                Map.of(), null));
        assertThatThrownBy(() -> monitor.check(DriftCheckRequest.scheduled("unpromoted")))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("no champion");
                });
    }

    @Test
    void check_wrongPolicyTag_namesTheTag() {
        platform.registerChampion("badtag", Map.of(DriftSettings.NUMERIC_METHOD, "kolmogorov"), true,
                Provenance.UNKNOWN);
        platform.capture("badtag", 1, 300, noShift(), NOW.minusSeconds(60), 1, 7);

        assertThatThrownBy(() -> monitor.check(DriftCheckRequest.scheduled("badtag")))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(DriftSettings.NUMERIC_METHOD).contains("kolmogorov");
                });
    }

    @Test
    void check_policyTagsChooseTheDecidingTest() {
        platform.registerChampion("psi", Map.of(DriftSettings.NUMERIC_METHOD, "psi"), true, Provenance.UNKNOWN);
        platform.capture("psi", 1, 2000, noShift(), NOW.minusSeconds(60), 1, 8);

        DriftReport report = checked(monitor.check(DriftCheckRequest.scheduled("psi"))).report();

        assertThat(report.columns()).allSatisfy(c -> assertThat(c.method()).isEqualTo(DriftMethod.PSI));
    }

    @Test
    void datasetCheck_againstGivenReference_exactAndFlagsTheShift() {
        platform.registerChampion("exact", Map.of(), true, Provenance.UNKNOWN);
        platform.put(DATASETS, "reference/exact.csv", platform.csv(noShift()));
        platform.put(DATASETS, "incoming/exact.csv", platform.csv(new double[] {0.5, 0.5, 0.5, 0, 0}));

        DriftCheckOutcome.Checked checked = checked(monitor.check(exact("exact",
                "s3://" + DATASETS + "/incoming/exact.csv", "s3://" + DATASETS + "/reference/exact.csv")));

        assertThat(checked.report().mode()).isEqualTo(DriftReport.Mode.EXACT);
        assertThat(checked.summary().mode()).isEqualTo("exact");
        assertThat(checked.report().columns()).filteredOn(ColumnDrift::drifted).extracting(ColumnDrift::column)
                .containsExactlyInAnyOrder("mean_radius", "mean_texture", "mean_perimeter");
        assertThat(checked.summary().datasetDrift()).isTrue();
    }

    @Test
    void datasetCheck_withoutReference_usesTheTrainingDataFromProvenance() {
        platform.put(DATASETS, "datasets/trained/train.csv", platform.csv(noShift()));
        Provenance provenance = new Provenance("ab12", "run1", List.of(new Provenance.DatasetPart("train", "d1",
                "{\"uri\": \"s3://" + DATASETS + "/datasets/trained/train.csv\", \"version_id\": \"\"}", "s3")),
                Provenance.UNKNOWN.trainer(), Provenance.UNKNOWN.code(), Provenance.UNKNOWN.runtime(), Map.of());
        platform.registerChampion("trained", Map.of(), true, provenance);
        platform.put(DATASETS, "incoming/trained.csv", platform.csv(noShift()));

        DriftCheckOutcome.Checked checked = checked(monitor.check(exact("trained",
                "s3://" + DATASETS + "/incoming/trained.csv", null)));

        assertThat(checked.report().mode()).isEqualTo(DriftReport.Mode.EXACT);
        assertThat(checked.report().columns()).noneMatch(ColumnDrift::drifted);
        assertThat(checked.report().referenceRows()).isEqualTo(platform.reference[0].length);
    }

    @Test
    void datasetCheck_noTrainingData_comparesWithTheReferenceProfile() {
        platform.registerChampion("profiled", Map.of(), true, Provenance.UNKNOWN);
        platform.put(DATASETS, "incoming/profiled.csv", platform.csv(shiftAll(1)));

        DriftCheckOutcome.Checked checked = checked(monitor.check(exact("profiled",
                "s3://" + DATASETS + "/incoming/profiled.csv", null)));

        assertThat(checked.report().mode()).isEqualTo(DriftReport.Mode.SKETCH);
        assertThat(checked.summary().datasetDrift()).isTrue();
        assertThat(checked.report().columns()).hasSize(DriftTestPlatform.FEATURES.size());
    }

    @Test
    void datasetCheck_missingDatasetOrColumn_namesIt() {
        platform.registerChampion("missing", Map.of(), true, Provenance.UNKNOWN);
        platform.put(DATASETS, "incoming/narrow.csv", "mean_radius,target\n1.0,benign\n".getBytes());

        assertThatThrownBy(() -> monitor.check(exact("missing", "s3://" + DATASETS + "/incoming/none.csv", null)))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("dataset_uri").contains("none.csv");
                });
        assertThatThrownBy(() -> monitor.check(exact("missing", "s3://" + DATASETS + "/incoming/narrow.csv", null)))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("mean_texture");
                });
        assertThat(platform.store.summaries("missing", 10)).isEmpty();
    }

    @Test
    void drift_retrainingPolicyOn_startsOnceOnTheNewestDatasetThenCoolsDown() {
        platform.registerChampion("retrain", Map.of(DriftSettings.RETRAIN, "true", DriftSettings.COOLDOWN_HOURS, "6"),
                true, Provenance.UNKNOWN);
        platform.put(DATASETS, "datasets/retrain/2026-11-01.csv", platform.csv(noShift()));
        platform.put(DATASETS, "datasets/retrain/notes.txt", "not a dataset".getBytes());
        platform.capture("retrain", 1, 2000, shiftAll(1), NOW.minusSeconds(60), 1, 9);
        platform.put(DATASETS, "datasets/retrain/2026-11-20.csv", platform.csv(shiftAll(1)));
        int before = platform.retrainings.size();

        DriftSummary first = checked(monitor.check(DriftCheckRequest.scheduled("retrain"))).summary();
        // a second later: report ids order by time, and two checks in one millisecond have no defined order
        DriftSummary second = checked(platform.monitor(Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC))
                .check(DriftCheckRequest.scheduled("retrain"))).summary();
        DriftSummary later = checked(platform.monitor(Clock.fixed(NOW.plus(Duration.ofHours(7)), ZoneOffset.UTC))
                .check(new DriftCheckRequest("retrain", DriftCheckRequest.API, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(Duration.ofHours(8)), List.of()))).summary();

        assertThat(first.decision()).startsWith("retraining started: execution retrain-drift-")
                .endsWith("s3://" + DATASETS + "/datasets/retrain/2026-11-20.csv");
        assertThat(second.decision()).contains("cool-down").contains(NOW.toString());
        assertThat(later.decision()).startsWith("retraining started");
        assertThat(platform.retrainings.subList(before, platform.retrainings.size())).containsExactly(
                "retrain s3://" + DATASETS + "/datasets/retrain/2026-11-20.csv",
                "retrain s3://" + DATASETS + "/datasets/retrain/2026-11-20.csv");
        assertThat(platform.store.summaries("retrain", 10)).extracting(DriftSummary::decision)
                .containsExactly(later.decision(), second.decision(), first.decision());
    }

    @Test
    void drift_policyOff_recordsWhyNothingStarted() {
        platform.registerChampion("manual", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("manual", 1, 2000, shiftAll(1), NOW.minusSeconds(60), 1, 10);
        int before = platform.retrainings.size();

        DriftSummary summary = checked(monitor.check(DriftCheckRequest.scheduled("manual"))).summary();

        assertThat(summary.datasetDrift()).isTrue();
        assertThat(summary.decision()).contains("retraining is off").contains(DriftSettings.RETRAIN);
        assertThat(platform.retrainings).hasSize(before);
    }

    @Test
    void drift_policyOnWithoutDataset_recordsIt() {
        platform.registerChampion("nodata", Map.of(DriftSettings.RETRAIN, "true"), true, Provenance.UNKNOWN);
        platform.capture("nodata", 1, 2000, shiftAll(1), NOW.minusSeconds(60), 1, 11);

        DriftSummary summary = checked(monitor.check(DriftCheckRequest.scheduled("nodata"))).summary();

        assertThat(summary.decision()).contains("no dataset under s3://" + DATASETS + "/datasets/nodata/");
    }

    @Test
    void checkAll_checksEveryChampionAndSkipsWhatCannotBeChecked() {
        platform.registerChampion("all-a", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("all-a", 1, 1000, noShift(), NOW.minusSeconds(60), 1, 12);
        platform.registerChampion("all-b", Map.of(), false, Provenance.UNKNOWN);

        List<DriftCheckOutcome> outcomes = monitor.checkAll();

        assertThat(outcomes).filteredOn(o -> o.modelName().equals("all-a"))
                .singleElement().isInstanceOf(DriftCheckOutcome.Checked.class);
        assertThat(outcomes).filteredOn(o -> o.modelName().equals("all-b"))
                .singleElement().isInstanceOfSatisfying(DriftCheckOutcome.Skipped.class,
                        s -> assertThat(s.reason()).contains("profile.json"));
    }

    @Test
    void reportsLiveInTheCaptureBucketOnly() {
        platform.registerChampion("where", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("where", 1, 1000, noShift(), NOW.minusSeconds(60), 1, 13);

        DriftSummary summary = checked(monitor.check(DriftCheckRequest.scheduled("where"))).summary();

        assertThat(platform.exists(summary.htmlUri())).isTrue();
        assertThat(platform.s3.listObjectsV2(b -> b.bucket(ARTIFACTS).prefix("reports/")).contents()).isEmpty();
    }

    private static DriftCheckRequest exact(String model, String dataset, String reference) {
        return new DriftCheckRequest(model, DriftCheckRequest.API, Optional.empty(),
                Optional.of(ObjectLocation.parse(dataset, "dataset_uri")),
                Optional.ofNullable(reference).map(r -> ObjectLocation.parse(r, "reference_uri")), Optional.empty(),
                List.of());
    }

    private static DriftCheckOutcome.Checked checked(DriftCheckOutcome outcome) {
        assertThat(outcome).isInstanceOf(DriftCheckOutcome.Checked.class);
        return (DriftCheckOutcome.Checked) outcome;
    }
}
