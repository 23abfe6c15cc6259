package io.capstan.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.jupiter.api.Test;

class StreamingProfileTest {
    private static final List<FeatureSpec> SCHEMA = List.of(FeatureSpec.numeric("a"), FeatureSpec.categorical("c"),
            FeatureSpec.numeric("b"));

    private static float[][] rows(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new float[] {(float) random.nextGaussian(), random.nextInt(3), 10 + 2 * (float) random.nextDouble()};
        }
        return rows;
    }

    @Test
    void update_rows_matchExactMomentsAndCounts() {
        float[][] rows = rows(5000, 1);
        StreamingProfile profile = StreamingProfile.create(SCHEMA, SketchParameters.defaults());

        profile.update(rows);
        DatasetProfile p = profile.toDatasetProfile();

        double[] a = Arrays.stream(rows).mapToDouble(r -> r[0]).toArray();
        NumericFeatureProfile exact = (NumericFeatureProfile) ProfileBuilder.create(SketchParameters.defaults())
                .numeric("a", a).build().features().get(0);
        NumericFeatureProfile streamed = (NumericFeatureProfile) p.features().get(0);
        assertThat(p.rowCount()).isEqualTo(5000);
        assertThat(streamed.count()).isEqualTo(5000);
        assertThat(streamed.mean()).isCloseTo(exact.mean(), within(1e-12));
        assertThat(streamed.std()).isCloseTo(exact.std(), within(1e-12));
        assertThat(streamed.min()).isEqualTo(exact.min());
        assertThat(streamed.max()).isEqualTo(exact.max());
        CategoricalFeatureProfile c = (CategoricalFeatureProfile) p.features().get(1);
        assertThat(c.frequencies().keySet()).containsExactlyInAnyOrder("0", "1", "2");
        assertThat(c.frequencies().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5000);
        assertThat(c.frequencyError()).isZero();
    }

    @Test
    void update_largeStream_ranksWithinStatedError() {
        int n = 300_000;
        StreamingProfile profile = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        float[][] rows = rows(n, 2);
        profile.update(rows);
        double[] sorted = Arrays.stream(rows).mapToDouble(r -> r[2]).sorted().toArray();

        NumericFeatureProfile b = (NumericFeatureProfile) profile.toDatasetProfile().features().get(2);
        KllDoublesSketch kll = b.sketch();

        assertThat(b.rankError()).isPositive();
        for (int i = 1; i < 50; i++) {
            int at = i * n / 50;
            double x = sorted[at];
            double exactRank = (double) (at + 1) / n;
            assertThat(kll.getRank(x, QuantileSearchCriteria.INCLUSIVE)).isCloseTo(exactRank, within(b.rankError()));
        }
    }

    @Test
    void update_nanAndWrongLength_missingOrRefused() {
        StreamingProfile profile = StreamingProfile.create(SCHEMA, SketchParameters.defaults());

        profile.update(new float[] {Float.NaN, Float.NaN, 1});
        profile.update(new float[] {2, 1, 1});

        DatasetProfile p = profile.toDatasetProfile();
        assertThat(p.features().get(0).missing()).isEqualTo(1);
        assertThat(p.features().get(0).count()).isEqualTo(1);
        assertThat(p.features().get(1).missing()).isEqualTo(1);
        assertThatThrownBy(() -> profile.update(new float[2])).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("3 features");
    }

    @Test
    void merge_twoHalves_equalsOneStream() {
        float[][] rows = rows(20_000, 3);
        StreamingProfile whole = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        StreamingProfile first = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        StreamingProfile second = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        whole.update(rows);
        first.update(Arrays.copyOfRange(rows, 0, 7_001));
        second.update(Arrays.copyOfRange(rows, 7_001, rows.length));

        first.merge(second);

        NumericFeatureProfile merged = (NumericFeatureProfile) first.toDatasetProfile().features().get(0);
        NumericFeatureProfile single = (NumericFeatureProfile) whole.toDatasetProfile().features().get(0);
        assertThat(first.rowCount()).isEqualTo(20_000);
        assertThat(merged.count()).isEqualTo(single.count());
        assertThat(merged.mean()).isCloseTo(single.mean(), within(1e-12));
        assertThat(merged.std()).isCloseTo(single.std(), within(1e-12));
        assertThat(merged.sketch().getQuantile(0.5)).isCloseTo(single.sketch().getQuantile(0.5),
                within(0.05));
        assertThat(((CategoricalFeatureProfile) first.toDatasetProfile().features().get(1)).frequencies())
                .isEqualTo(((CategoricalFeatureProfile) whole.toDatasetProfile().features().get(1)).frequencies());
    }

    @Test
    void merge_differentSchema_isRefused() {
        StreamingProfile a = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        StreamingProfile b = StreamingProfile.create(List.of(FeatureSpec.numeric("a")), SketchParameters.defaults());

        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("different schemas");
    }

    @Test
    void toBytes_fromBytes_roundTripsIncludingBufferedRows() {
        StreamingProfile profile = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        profile.update(rows(1_234, 4));

        StreamingProfile read = StreamingProfile.fromBytes(profile.toBytes());

        assertThat(read.schema()).isEqualTo(SCHEMA);
        assertThat(read.rowCount()).isEqualTo(1_234);
        assertThat(read.toDatasetProfile()).isEqualTo(profile.toDatasetProfile());
        assertThatThrownBy(() -> StreamingProfile.fromBytes(new byte[] {1, 2, 3}))
                .isInstanceOf(InvalidProfileException.class);
    }

    @Test
    void update_fromFourThreads_losesNoRow() throws Exception {
        StreamingProfile shared = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            float[][] rows = rows(25_000, 10 + t);
            done.add(pool.submit(() -> {
                for (float[] row : rows) {
                    shared.update(row);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        DatasetProfile p = shared.toDatasetProfile();
        assertThat(p.rowCount()).isEqualTo(100_000);
        assertThat(p.features()).allSatisfy(f -> assertThat(f.count()).isEqualTo(100_000));
        assertThat(((NumericFeatureProfile) p.features().get(0)).sketch().getN()).isEqualTo(100_000);
    }

    @Test
    void categoryKey_integralAndFractionalCodes() {
        assertThat(StreamingProfile.categoryKey(3f)).isEqualTo("3");
        assertThat(StreamingProfile.categoryKey(-0f)).isEqualTo("0");
        assertThat(StreamingProfile.categoryKey(2.5f)).isEqualTo("2.5");
    }

    @Test
    void textRows_countCategoriesByTextAndParseNumbers_andMergeAsOneStream() {
        List<FeatureSpec> schema = List.of(FeatureSpec.numeric("x"), FeatureSpec.categorical("city"));
        StreamingProfile whole = StreamingProfile.createForText(schema, SketchParameters.defaults());
        StreamingProfile first = StreamingProfile.createForText(schema, SketchParameters.defaults());
        StreamingProfile second = StreamingProfile.createForText(schema, SketchParameters.defaults());
        String[] cities = {"oslo", "lima", "", "oslo", "rome"};
        for (int i = 0; i < 3_000; i++) {
            String[] row = {i % 7 == 0 ? "" : Double.toString(i * 0.5), cities[i % cities.length]};
            whole.update(row);
            (i < 1_100 ? first : second).update(row);
        }
        first.merge(StreamingProfile.fromBytes(second.toBytes()));

        DatasetProfile merged = first.toDatasetProfile();
        CategoricalFeatureProfile city = (CategoricalFeatureProfile) merged.features().get(1);
        NumericFeatureProfile x = (NumericFeatureProfile) merged.features().get(0);
        assertThat(city.frequencies()).containsExactly(java.util.Map.entry("oslo", 1_200L),
                java.util.Map.entry("lima", 600L), java.util.Map.entry("rome", 600L));
        assertThat(city.missing()).isEqualTo(600);
        assertThat(city.frequencyError()).isZero();
        assertThat(x.missing()).isEqualTo(429);
        assertThat(x.min()).isEqualTo(0.5);
        assertThat(x.max()).isEqualTo(2_999 * 0.5);
        NumericFeatureProfile single = (NumericFeatureProfile) whole.toDatasetProfile().features().get(0);
        assertThat(x.count()).isEqualTo(single.count());
        assertThat(x.mean()).isCloseTo(single.mean(), within(1e-9));
        assertThat(x.std()).isCloseTo(single.std(), within(1e-9));
    }

    @Test
    void textRows_notANumber_isRefusedNamingColumnAndValue_andKindsDoNotMix() {
        List<FeatureSpec> schema = List.of(FeatureSpec.numeric("x"), FeatureSpec.categorical("city"));
        StreamingProfile text = StreamingProfile.createForText(schema, SketchParameters.defaults());
        StreamingProfile codes = StreamingProfile.create(schema, SketchParameters.defaults());

        assertThatThrownBy(() -> text.update(new String[] {"1,5", "oslo"})).isInstanceOf(InvalidProfileException.class)
                .hasMessage("Numeric column 'x' holds '1,5', which is not a number.");
        assertThatThrownBy(() -> codes.update(new String[] {"1", "oslo"}))
                .hasMessageContaining("text rows need a profile made by createForText");
        assertThatThrownBy(() -> text.update(new float[] {1f, 2f})).hasMessageContaining("counts text categories");
        assertThatThrownBy(() -> codes.merge(text)).hasMessageContaining("different schemas");
    }

    @Test
    void toBytes_codesOnly_isVersionOneAsTheReleaseBeforeReadsIt_andTextIsVersionTwo() {
        StreamingProfile codes = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        codes.update(rows(700, 9));
        StreamingProfile text = StreamingProfile.createForText(SCHEMA, SketchParameters.defaults());
        text.update(new String[] {"1.5", "oslo", "2"});

        byte[] v1 = codes.toBytes();
        byte[] v2 = text.toBytes();

        assertThat(java.nio.ByteBuffer.wrap(v1, 4, 4).getInt()).isEqualTo(1);
        assertThat(java.nio.ByteBuffer.wrap(v2, 4, 4).getInt()).isEqualTo(2);
        assertThat(StreamingProfile.fromBytes(v1).toDatasetProfile()).isEqualTo(codes.toDatasetProfile());
        assertThat(StreamingProfile.fromBytes(v2).toDatasetProfile()).isEqualTo(text.toDatasetProfile());
    }

    /**
     * Rows sampled in strata of 16 (one row drawn uniformly from each, standing for the 16): counts are exact, moments
     * close, ranks within the sketch's bound plus the sampling's, which the profile states.
     */
    @Test
    void update_sampledRows_weighEachAsItsStratumAndStateTheSamplingBound() {
        int n = 400_000;
        int level = 4;
        float[][] rows = rows(n, 11);
        StreamingProfile sampled = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        Random draw = new Random(12);
        for (int start = 0; start < n; start += 1 << level) {
            sampled.update(rows[start + draw.nextInt(1 << level)], level);
        }

        DatasetProfile p = StreamingProfile.fromBytes(sampled.toBytes()).toDatasetProfile();

        assertThat(java.nio.ByteBuffer.wrap(sampled.toBytes(), 4, 4).getInt()).isEqualTo(3);
        assertThat(p.rowCount()).isEqualTo(n);
        NumericFeatureProfile b = (NumericFeatureProfile) p.features().get(2);
        assertThat(b.count()).isEqualTo(n);
        double expectedBound = Math.sqrt(Math.log(200) * (n / 16.0) * 256 / 2) / n;
        assertThat(b.samplingRankError()).isCloseTo(expectedBound, within(1e-12));
        // Kish: n² / (V + n - S) = n / 16 here, the number of strata
        assertThat(b.sampling().effectiveCount(b.count())).isCloseTo(n / 16.0, within(1e-6));
        assertThat(b.rankError()).isGreaterThan(b.samplingRankError());
        double[] sorted = Arrays.stream(rows).mapToDouble(r -> r[2]).sorted().toArray();
        assertThat(b.mean()).isCloseTo(Arrays.stream(sorted).average().orElseThrow(), within(0.01));
        for (int i = 1; i < 20; i++) {
            int at = i * n / 20;
            assertThat(b.sketch().getRank(sorted[at], QuantileSearchCriteria.INCLUSIVE))
                    .isCloseTo((double) (at + 1) / n, within(b.rankError()));
        }
        CategoricalFeatureProfile c = (CategoricalFeatureProfile) p.features().get(1);
        assertThat(c.frequencies().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
        assertThat(c.frequencyError()).isEqualTo((long) Math.ceil(Math.sqrt(Math.log(200) * (n / 16.0) * 256 / 2)));
        assertThat(c.sampling()).isEqualTo(new Sampling(n / 16.0 * 256, n));
        long exactZeros = Arrays.stream(rows).filter(r -> r[1] == 0f).count();
        assertThat(c.frequencies().get("0")).isCloseTo(exactZeros, within(c.frequencyError()));
    }

    @Test
    void merge_sampledIntoExact_addsCountsAndKeepsTheBoundAsVersionThree() {
        StreamingProfile exact = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        exact.update(rows(10_000, 13));
        StreamingProfile sampled = StreamingProfile.create(SCHEMA, SketchParameters.defaults());
        for (float[] row : rows(100, 14)) {
            sampled.update(row, 6);
        }

        exact.merge(sampled);
        StreamingProfile read = StreamingProfile.fromBytes(exact.toBytes());

        assertThat(read.rowCount()).isEqualTo(10_000 + 6_400);
        NumericFeatureProfile a = (NumericFeatureProfile) read.toDatasetProfile().features().get(0);
        assertThat(a.count()).isEqualTo(16_400);
        assertThat(a.samplingRankError()).isCloseTo(Math.sqrt(Math.log(200) * 100 * 4096 / 2) / 16_400,
                within(1e-12));
        // Kish with 10,000 rows alone and 100 of weight 64: 16,400² / (409,600 + 10,000)
        assertThat(a.sampling().effectiveCount(a.count())).isCloseTo(16_400.0 * 16_400 / 419_600, within(1e-6));
        assertThat(read.toDatasetProfile()).isEqualTo(exact.toDatasetProfile());
        assertThatThrownBy(() -> exact.update(new float[3], 63)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 62");
    }
}
