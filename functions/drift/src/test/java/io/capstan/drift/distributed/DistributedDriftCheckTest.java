package io.capstan.drift.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.Column;
import io.capstan.drift.CsvTable;
import io.capstan.drift.InvalidDriftInputException;
import io.capstan.drift.function.DriftServices;
import io.capstan.drift.monitoring.DriftCheckOutcome;
import io.capstan.drift.monitoring.DriftCheckRequest;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.drift.testutils.DriftTestPlatform;
import io.capstan.profile.CategoricalFeatureProfile;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.NumericFeatureProfile;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.provenance.Provenance;
import io.capstan.workflow.WorkflowEngine;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A distributed drift check's pieces on S3Proxy and DynamoDB Local: the check planned into 20 chunks, each chunk
 * profiled by the task the state machine runs, the chunk profiles merged, and the merged profile held against the
 * profile one process builds from the whole file (the exact check's). The state machine itself runs under the local
 * interpreter in the local module's test.
 */
class DistributedDriftCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "churn";
    private static final List<String> SITES = List.of("berlin", "lisbon", "oslo", "quito", "lagos", "hanoi", "perth",
            "lima", "cairo", "kyiv", "pune", "rome");

    private DriftTestPlatform platform;
    private final Map<String, JsonNode> started = new HashMap<>();
    private DriftServices services;
    private byte[] csv;

    @BeforeEach
    void start() throws Exception {
        platform = new DriftTestPlatform();
        platform.registerChampion(MODEL, Map.of(), false, Provenance.UNKNOWN);
        csv = dataset(40_000, 0.0, 7);
        platform.put(DriftTestPlatform.DATASETS, "big/current.csv", csv);
        platform.put(DriftTestPlatform.DATASETS, "big/reference.csv", dataset(3_000, 0.0, 8));
        WorkflowEngine recording = recording();
        // anything over 10 kB is distributed; chunks of a twentieth of the dataset
        services = DriftServices.create(platform.dynamoDb, DriftTestPlatform.TABLE, platform.s3,
                DriftTestPlatform.BUCKETS, platform.retraining, platform.metrics,
                Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC),
                Optional.of(new DistributedChecks.Distribution(recording, 10_000, csv.length / 20 + 1, 8)));
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    @Test
    void twentyChunks_mergedProfile_equalsTheSingleProcessProfileOnExactStatisticsAndQuantilesWithinTheBound() {
        JsonNode input = startCheck();
        DistributedCheck check = DistributedCheck.fromJson(input.path("check"));
        List<ProfileChunk> chunks = chunks(input);
        assertThat(chunks).filteredOn(c -> c.side().equals(ProfileChunk.CURRENT)).hasSize(20);

        long rows = 0;
        for (ProfileChunk chunk : chunks) {
            rows += services.profileTasks().run(payload("profile_chunk", input, chunk)).path("rows").asLong();
        }
        DatasetProfile merged = services.profileTasks().merged(check, chunks, ProfileChunk.CURRENT).orElseThrow()
                .toDatasetProfile();
        DatasetProfile single = singleProcess(csv, check);

        assertThat(rows).isEqualTo(40_000 + 3_000);
        assertThat(merged.rowCount()).isEqualTo(40_000);
        for (FeatureProfile feature : single.features()) {
            FeatureProfile other = merged.features().stream().filter(f -> f.name().equals(feature.name()))
                    .findFirst().orElseThrow();
            if (feature instanceof NumericFeatureProfile exact) {
                NumericFeatureProfile sketch = (NumericFeatureProfile) other;
                assertThat(sketch.count()).as(feature.name()).isEqualTo(exact.count());
                assertThat(sketch.missing()).as(feature.name()).isEqualTo(exact.missing());
                assertThat(sketch.min()).as(feature.name()).isEqualTo(exact.min());
                assertThat(sketch.max()).as(feature.name()).isEqualTo(exact.max());
                assertThat(sketch.mean()).as(feature.name()).isCloseTo(exact.mean(),
                        within(1e-12 * Math.max(1, Math.abs(exact.mean()))));
                assertThat(sketch.std()).as(feature.name()).isCloseTo(exact.std(), within(1e-9 * exact.std()));
                assertQuantilesWithinBound(feature.name(), sketch, values(csv, feature.name()));
            } else {
                CategoricalFeatureProfile exact = (CategoricalFeatureProfile) feature;
                CategoricalFeatureProfile counted = (CategoricalFeatureProfile) other;
                assertThat(counted.frequencyError()).isZero();
                assertThat(counted.frequencies()).as(feature.name()).isEqualTo(exact.frequencies());
                assertThat(counted.missing()).as(feature.name()).isEqualTo(exact.missing());
            }
        }
    }

    @Test
    void finish_comparesTheMergedSidesAndRecordsADistributedReport() {
        platform.put(DriftTestPlatform.DATASETS, "big/shifted.csv", dataset(40_000, 1.0, 9));
        DriftCheckOutcome outcome = services.monitor().check(new DriftCheckRequest(MODEL, DriftCheckRequest.API,
                Optional.empty(), Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/shifted.csv")),
                Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/reference.csv")), Optional.empty(),
                List.of("site", "label")));
        JsonNode finished = services.profileTasks().run(profileEveryChunk(started.values().iterator().next()));

        assertThat(outcome).isInstanceOf(DriftCheckOutcome.Started.class);
        String reportId = ((DriftCheckOutcome.Started) outcome).reportId();
        assertThat(finished.path("report_id").asText()).isEqualTo(reportId);
        assertThat(finished.path("current_rows").asLong()).isEqualTo(40_000);
        var summary = platform.store.summary(MODEL, reportId).orElseThrow();
        assertThat(summary.mode()).isEqualTo(DriftMonitor.DISTRIBUTED);
        assertThat(summary.referenceRows()).isEqualTo(3_000);
        JsonNode report = parse(platform.read(summary.jsonUri()));
        Map<String, String> verdicts = new HashMap<>();
        report.path("columns").forEach(c -> verdicts.put(c.path("column").asText(), c.path("verdict").asText()));
        // a and b moved by one standard deviation, the rest drawn as the reference was
        assertThat(verdicts).containsEntry("a", "drift").containsEntry("b", "drift").containsEntry("c", "no_drift")
                .containsEntry("d", "no_drift").containsEntry("site", "no_drift").containsEntry("label", "no_drift");
        assertThat(report.path("mode").asText()).isEqualTo("sketch");
        // the sketch tests state their error bounds
        assertThat(report.at("/columns/0/tests").findValues("error_bound")).isNotEmpty();
        assertThat(finished.path("dataset_drift").asBoolean()).isEqualTo(summary.datasetDrift());
    }

    @Test
    void finish_retried_recordsTheCheckOnce() {
        ObjectNode finish = profileEveryChunk(startCheck());

        JsonNode first = services.profileTasks().run(finish);
        JsonNode again = services.profileTasks().run(finish);

        assertThat(again).isEqualTo(first);
        assertThat(platform.published).hasSize(1);
    }

    @Test
    void tinyChunks_bothSidesTogether_stayWithinTheChunkLimit_andAByteOrderMarkIsNoColumn() {
        byte[] withBom = new byte[csv.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(csv, 0, withBom, 3, csv.length);
        platform.put(DriftTestPlatform.DATASETS, "big/current.csv", withBom);
        DriftServices tiny = DriftServices.create(platform.dynamoDb, DriftTestPlatform.TABLE, platform.s3,
                DriftTestPlatform.BUCKETS, platform.retraining, platform.metrics, Clock.systemUTC(),
                Optional.of(new DistributedChecks.Distribution(recording(), 10_000, 1, 8)));

        tiny.monitor().check(new DriftCheckRequest(MODEL, DriftCheckRequest.API, Optional.empty(),
                Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/current.csv")),
                Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/reference.csv")), Optional.empty(),
                List.of("site", "label")));
        JsonNode input = started.values().iterator().next();
        List<ProfileChunk> chunks = chunks(input);
        ProfileChunk first = chunks.get(0);

        assertThat(chunks).hasSizeLessThanOrEqualTo(DistributedChecks.MAX_CHUNKS).hasSizeGreaterThan(9_000);
        assertThat(DistributedCheck.fromJson(input.path("check")).schema().get(0).name()).isEqualTo("a");
        assertThat(tiny.profileTasks().run(payload("profile_chunk", input, first)).path("rows").asLong())
                .isPositive();
    }

    @Test
    void chunkWithTextInANumericColumn_failsNamingTheObjectColumnAndValue() {
        StringBuilder bad = new StringBuilder(new String(csv, StandardCharsets.UTF_8));
        bad.append("12.5,3.1,oops,1,berlin,benign\n");
        platform.put(DriftTestPlatform.DATASETS, "big/current.csv", bad.toString().getBytes(StandardCharsets.UTF_8));
        JsonNode input = startCheck();
        long badLine = csv.length;
        ProfileChunk holding = chunks(input).stream().filter(c -> c.side().equals(ProfileChunk.CURRENT)
                && c.range().start() <= badLine && badLine < c.range().end()).findFirst().orElseThrow();

        assertThatThrownBy(() -> services.profileTasks().run(payload("profile_chunk", input, holding)))
                .isInstanceOf(InvalidDriftInputException.class)
                .hasMessageContaining("s3://capstan-datasets/big/current.csv, the line at byte " + badLine + ":")
                .hasMessageContaining("Numeric column 'c' holds 'oops'");
    }

    @Test
    void prefixWithoutCsvObjects_isRefusedAtOnce() {
        assertThatThrownBy(() -> services.monitor().check(new DriftCheckRequest(MODEL, DriftCheckRequest.API,
                Optional.empty(), Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "nothing/")),
                Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/reference.csv")), Optional.empty(),
                List.of())))
                .hasMessage("There is no CSV object (.csv) under s3://capstan-datasets/nothing/.");
        assertThat(started).isEmpty();
    }

    /** An engine that records the executions started (the state machine runs in the local module's test). */
    private WorkflowEngine recording() {
        return new WorkflowEngine() {
            @Override
            public void start(String name, JsonNode input) {
                started.put(name, input);
            }

            @Override
            public Optional<Execution> execution(String name) {
                return Optional.empty();
            }
        };
    }

    private JsonNode startCheck() {
        DriftCheckOutcome outcome = services.monitor().check(new DriftCheckRequest(MODEL, DriftCheckRequest.API,
                Optional.empty(), Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/current.csv")),
                Optional.of(new ObjectLocation(DriftTestPlatform.DATASETS, "big/reference.csv")), Optional.empty(),
                List.of("site", "label")));
        assertThat(outcome).isInstanceOf(DriftCheckOutcome.Started.class);
        assertThat(started).hasSize(1);
        return started.values().iterator().next();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the chunk task on every chunk, as the Map does; returns the finish task's payload. */
    private ObjectNode profileEveryChunk(JsonNode input) {
        for (ProfileChunk chunk : chunks(input)) {
            services.profileTasks().run(payload("profile_chunk", input, chunk));
        }
        ObjectNode finish = JSON.createObjectNode().put("task", "finish");
        finish.set("check", input.path("check"));
        return finish;
    }

    /** The check's plan, where the drift function stored it and the Map reads it. */
    private List<ProfileChunk> chunks(JsonNode input) {
        List<ProfileChunk> chunks = DistributedChecks.readPlan(platform.storage, DistributedCheck.fromJson(
                input.path("check")).folder(DriftTestPlatform.BUCKETS));
        assertThat(input.at("/plan/chunks").asInt()).isEqualTo(chunks.size());
        return chunks;
    }

    private static ObjectNode payload(String task, JsonNode input, ProfileChunk chunk) {
        ObjectNode payload = JSON.createObjectNode().put("task", task);
        payload.set("check", input.path("check"));
        payload.set("chunk", chunk.toJson());
        return payload;
    }

    /** What one process builds from the whole file: the exact check's columns, profiled by ProfileBuilder. */
    private static DatasetProfile singleProcess(byte[] csv, DistributedCheck check) {
        List<String> names = check.schema().stream().map(s -> s.name()).toList();
        Set<String> categorical = Set.of("site", "label");
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        for (Column column : CsvTable.read(reader(csv), "current.csv", names, categorical)) {
            if (column instanceof Column.Numeric n) {
                builder.numeric(n.name(), n.values());
            } else if (column instanceof Column.Categorical c) {
                builder.categorical(c.name(), c.values());
            }
        }
        return builder.build();
    }

    private static double[] values(byte[] csv, String name) {
        Column.Numeric column = (Column.Numeric) CsvTable.read(reader(csv), "current.csv", List.of(name), Set.of())
                .get(0);
        return Arrays.stream(column.values()).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    /** Each decile of the merged sketch sits at a true rank within the sketch's stated rank error of the decile. */
    private static void assertQuantilesWithinBound(String name, NumericFeatureProfile sketch, double[] sorted) {
        double bound = sketch.rankError();
        assertThat(bound).as("a sketch past its exact size states a bound").isGreaterThan(0).isLessThan(0.01);
        for (int d = 1; d <= 9; d++) {
            double q = d / 10.0;
            double value = sketch.sketch().getQuantile(q);
            double below = lowerBound(sorted, value) / (double) sorted.length;
            double atOrBelow = upperBound(sorted, value) / (double) sorted.length;
            assertThat(q).as("%s decile %d: %s has true ranks [%s, %s], bound %s", name, d, value, below, atOrBelow,
                    bound).isBetween(below - bound, atOrBelow + bound);
        }
    }

    private static int lowerBound(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i;
    }

    private static int upperBound(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length - 1 && sorted[i + 1] == value) {
            i++;
        }
        return i + 1;
    }

    private static BufferedReader reader(byte[] csv) {
        return new BufferedReader(new StringReader(new String(csv, StandardCharsets.UTF_8)));
    }

    /**
     * {@code rows} rows: three numeric columns (normal, log-normal, integer counts), one with missing cells in every
     * form the exact check knows, a categorical column of twelve cities (some missing) and a label.
     */
    private static byte[] dataset(int rows, double shift, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder("a,b,c,d,site,label\n");
        List<String> missing = List.of("", "NA", "nan", "null");
        for (int i = 0; i < rows; i++) {
            double a = shift + random.nextGaussian();
            double b = Math.exp(shift + random.nextGaussian());
            long c = random.nextLong(50);
            String d = i % 17 == 0 ? missing.get(i % 4) : String.format(Locale.ROOT, "%.4f", 10 + random.nextDouble());
            String site = i % 23 == 0 ? "" : SITES.get(random.nextInt(SITES.size()));
            out.append(a).append(',').append(b).append(',').append(c).append(',').append(d).append(',').append(site)
                    .append(',').append(random.nextInt(3) == 0 ? "malignant" : "benign").append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
