package io.capstan.predict.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.ModelReference;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.OnnxFixture;
import io.capstan.predict.testutils.OnnxFixtures;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.NumericFeatureProfile;
import io.capstan.profile.PredictionColumns;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import io.capstan.testing.MutableClock;
import io.capstan.testing.S3ProxyBuckets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Traffic capture through the predict function on real ONNX Runtime, flushing to S3Proxy: what a flushed sketch holds,
 * when flushes happen, and that a sketch is neither lost nor written twice when S3 fails.
 */
class SketchCaptureTest {
    private static final String BC = "breast-cancer";
    private static final String IRIS = "iris";
    private static final Instant START = Instant.parse("2026-11-22T09:59:58Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    /** Requests of up to 16 rows folded whole, so that a sketch's moments can be checked against the rows sent. */
    private static final CaptureSettings EVERY_ROW = CaptureSettings.defaults().withExactRows(16);

    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("capture");
    private static final TrainedModel breastCancer = TrainedModels.breastCancer();
    private static final TrainedModel iris = TrainedModels.iris();

    private final List<PredictFixture> functions = new ArrayList<>();
    private InMemoryModelResolver resolver;
    private MutableClock clock;

    @BeforeEach
    void newRegistry() {
        clock = new MutableClock(START);
        resolver = new InMemoryModelResolver()
                .registerWithProfile(BC, 1, breastCancer)
                .register(IRIS, 1, iris);
    }

    @AfterEach
    void closeSessions() {
        functions.forEach(PredictFixture::close);
    }

    @Test
    void record_bothProtocols_sketchHoldsEveryRowAndProbabilityInTheReferenceColumns() {
        SketchCapture capture = capture(EVERY_ROW);
        PredictFunction function = function(capture);

        JsonNode mlflow = Requests.json(Requests.ok(function.apply(Requests.post("/models/" + BC + "/invocations",
                Requests.dataframeSplit(breastCancer, 5)))));
        Requests.ok(function.apply(Requests.post("/v2/models/" + BC + "/infer",
                Requests.text(Requests.inferFullTensor(breastCancer, 3)))));
        capture.flush();

        List<S3Object> objects = s3.objects("capture/" + BC + "/1/");
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).key()).matches("capture/breast-cancer/1/2026/11/22/09/\\d{13}-"
                + capture.container() + "\\.sketch");
        StreamingProfile sketch = read(objects.get(0));
        List<String> expectedColumns = new ArrayList<>(breastCancer.card().features());
        breastCancer.card().outputLabels().forEach(label -> expectedColumns.add("probability:" + label));
        assertThat(sketch.rowCount()).isEqualTo(8);
        assertThat(sketch.schema()).extracting(FeatureSpec::name).containsExactlyElementsOf(expectedColumns);
        DatasetProfile captured = sketch.toDatasetProfile();
        for (String feature : breastCancer.card().features()) {
            int column = breastCancer.csvColumns().indexOf(feature);
            double sum = 0;
            for (int r = 0; r < 5; r++) {
                sum += breastCancer.rows()[r][column];
            }
            for (int r = 0; r < 3; r++) {
                sum += breastCancer.rows()[r][column];
            }
            assertThat(numeric(captured, feature).mean()).as(feature).isCloseTo(sum / 8, within(1e-6));
        }
        String label = breastCancer.card().outputLabels().get(0);
        double served = 0;
        for (int r = 0; r < 5; r++) {
            served += mlflow.get("predictions").get(r).at("/probabilities/" + label).asDouble();
        }
        for (int r = 0; r < 3; r++) {
            served += mlflow.get("predictions").get(r).at("/probabilities/" + label).asDouble();
        }
        assertThat(numeric(captured, "probability:" + label).mean()).isCloseTo(served / 8, within(1e-6));
    }

    @Test
    void record_versionWithoutProfile_capturesNumericFeaturesNamedAsTheModelInputs() {
        SketchCapture capture = capture(CaptureSettings.defaults());
        PredictFunction function = function(capture);

        Requests.ok(function.apply(Requests.post("/models/" + IRIS + "/invocations", Requests.dataframeSplit(iris, 4))));
        capture.flush();

        StreamingProfile sketch = read(s3.objects("capture/" + IRIS + "/1/").get(0));
        assertThat(sketch.rowCount()).isEqualTo(4);
        assertThat(sketch.schema()).containsExactlyElementsOf(iris.card().features().stream()
                .map(FeatureSpec::numeric).toList());
    }

    @Test
    void record_zipmapClassifierOfMlflowFlavor_capturesItsColumnsAndTheProbabilitiesOfEachLabel() {
        OnnxFixture zipmap = OnnxFixtures.load("sklearn-iris-zipmap");
        ProfileBuilder reference = ProfileBuilder.create(SketchParameters.defaults());
        zipmap.columns().forEach(column -> reference.numeric(column, new double[]{1, 2}));
        reference.predictionsOnOtherRows();
        List.of("0", "1", "2").forEach(label -> reference.numericPrediction(PredictionColumns.probability(label),
                new double[]{0.25, 0.75}));
        resolver.register("zipmap", 1, zipmap.manifest(OnnxFixtures.irisZipmapCard()), zipmap.onnx())
                .profile("zipmap", 1, reference.build().toJson());
        SketchCapture capture = capture(EVERY_ROW);
        PredictFunction function = function(capture);

        JsonNode predictions = Requests.json(Requests.ok(function.apply(Requests.post("/models/zipmap/invocations",
                Requests.text(zipmap.expected().get("invocations_request")))))).get("predictions");
        capture.flush();

        StreamingProfile sketch = read(s3.objects("capture/zipmap/1/").get(0));
        assertThat(sketch.rowCount()).isEqualTo(zipmap.rows().size());
        assertThat(sketch.schema()).extracting(FeatureSpec::name).containsExactly("sepal_length", "sepal_width",
                "petal_length", "petal_width", "probability:0", "probability:1", "probability:2");
        double served = 0;
        for (JsonNode prediction : predictions) {
            served += prediction.at("/output_probability/2").asDouble();
        }
        assertThat(numeric(sketch.toDatasetProfile(), "probability:2").mean())
                .isCloseTo(served / predictions.size(), within(1e-6));
    }

    @Test
    void record_regressorAndTensorModel_captureTheRegressorsFeaturesAndNothingOfTheTensorModel() {
        OnnxFixture wine = OnnxFixtures.load("sklearn-wine-regressor");
        OnnxFixture torch = OnnxFixtures.load("torch-two-inputs");
        resolver.register("wine", 1, wine.manifest(OnnxFixtures.wineCard(wine.columns())), wine.onnx())
                .register("torch", 1, torch.manifest(null), torch.onnx());
        SketchCapture capture = capture(EVERY_ROW);
        PredictFunction function = function(capture);

        Requests.ok(function.apply(Requests.post("/models/wine/invocations",
                Requests.text(wine.expected().get("invocations_request")))));
        Requests.ok(function.apply(Requests.post("/models/torch/invocations",
                Requests.text(torch.expected().get("invocations_request")))));
        capture.flush();

        StreamingProfile sketch = read(s3.objects("capture/wine/1/").get(0));
        assertThat(sketch.rowCount()).isEqualTo(wine.rows().size());
        assertThat(sketch.schema()).containsExactlyElementsOf(wine.columns().stream().map(FeatureSpec::numeric)
                .toList());
        assertThat(numeric(sketch.toDatasetProfile(), "proline").mean()).isCloseTo(mean(wine, "proline"),
                within(1e-3));
        assertThat(s3.objects("capture/torch/")).isEmpty();
    }

    private static double mean(OnnxFixture fixture, String column) {
        int index = fixture.columns().indexOf(column);
        double sum = 0;
        for (JsonNode row : fixture.rows()) {
            sum += row.get(index).asDouble();
        }
        return sum / fixture.rows().size();
    }

    @Test
    void flushIfDue_writesOnlyOnceTheIntervalHasElapsed_thenNothingNew() {
        SketchCapture capture = capture(CaptureSettings.defaults());
        PredictFunction function = function(capture);

        Requests.ok(function.apply(invocations(2)));
        clock.advance(INTERVAL.minusSeconds(1));
        Requests.ok(function.apply(invocations(1)));
        List<S3Object> beforeTheInterval = s3.objects("capture/");
        clock.advance(Duration.ofSeconds(1));
        Requests.ok(function.apply(invocations(1)));
        List<S3Object> atTheInterval = s3.objects("capture/");
        clock.advance(INTERVAL);
        capture.flushIfDue();

        assertThat(beforeTheInterval).isEmpty();
        assertThat(atTheInterval).hasSize(1);
        assertThat(read(atTheInterval.get(0)).rowCount()).isEqualTo(4);
        assertThat(atTheInterval.get(0).key()).contains("/2026/11/22/10/" + START.plus(INTERVAL).toEpochMilli() + "-");
        assertThat(s3.objects("capture/")).hasSize(1);
        assertThat(capture.unflushedRows()).isZero();
    }

    @Test
    void flushIfDue_sketchReachesItsRowLimit_flushesBeforeTheInterval() {
        SketchCapture capture = capture(CaptureSettings.defaults().withMaxRowsPerSketch(10));
        PredictFunction function = function(capture);

        Requests.ok(function.apply(invocations(6)));
        List<S3Object> belowTheLimit = s3.objects("capture/");
        Requests.ok(function.apply(invocations(6)));

        assertThat(belowTheLimit).isEmpty();
        assertThat(s3.objects("capture/")).hasSize(1).allSatisfy(o -> assertThat(read(o).rowCount()).isEqualTo(12));
    }

    @Test
    void flushIfDue_rowLimitDuringAnOutage_waitsForTheIntervalInsteadOfRetryingEveryRequest() {
        String later = S3ProxyBuckets.uniqueName("capture-later");
        SketchCapture capture = SketchCapture.create(new S3CaptureSink(s3.client(), later),
                CaptureSettings.defaults().withMaxRowsPerSketch(10), clock);
        PredictFunction function = function(capture);

        Requests.ok(function.apply(invocations(12))); // over the limit: a flush, which fails (no bucket)
        s3.client().createBucket(b -> b.bucket(later));
        Requests.ok(function.apply(invocations(12))); // over the limit again, but the last flush failed: no new attempt
        List<S3Object> beforeTheInterval = s3.client().listObjectsV2Paginator(b -> b.bucket(later)).contents().stream()
                .toList();
        clock.advance(INTERVAL);
        Requests.ok(function.apply(invocations(1)));

        assertThat(beforeTheInterval).isEmpty();
        assertThat(s3.client().listObjectsV2Paginator(b -> b.bucket(later)).contents().stream()
                .map(o -> read(later, o.key()).rowCount()).toList()).containsExactly(12L, 13L);
    }

    @Test
    void flush_bucketMissing_keepsTheSketchAndWritesItOnceUnderItsFirstName() {
        String later = S3ProxyBuckets.uniqueName("capture-later");
        SketchCapture capture = SketchCapture.create(new S3CaptureSink(s3.client(), later), CaptureSettings.defaults(),
                clock);
        PredictFunction function = function(capture);

        Requests.ok(function.apply(invocations(3)));
        capture.flush(); // NoSuchBucket: the 3 rows are kept under the name chosen now
        long firstFlush = clock.millis();
        clock.advance(Duration.ofSeconds(5));
        Requests.ok(function.apply(invocations(4)));
        capture.flush(); // still failing: the 4 new rows stay in the live sketch
        long keptAfterFailures = capture.unflushedRows();
        s3.client().createBucket(b -> b.bucket(later));
        clock.advance(Duration.ofSeconds(5));
        capture.flush();
        capture.flush();

        assertThat(keptAfterFailures).isEqualTo(7);
        List<S3Object> objects = s3.client().listObjectsV2Paginator(b -> b.bucket(later)).contents().stream().toList();
        assertThat(objects).extracting(o -> read(later, o.key()).rowCount()).containsExactly(3L, 4L);
        assertThat(objects.get(0).key()).contains("/" + firstFlush + "-");
        assertThat(capture.unflushedRows()).isZero();
    }

    @Test
    void flush_concurrentRequestsAndFlushes_everyRowInExactlyOneSketch() throws Exception {
        SketchCapture capture = capture(CaptureSettings.defaults());
        PredictFunction function = function(capture);
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            Future<?> flusher = threads.submit(() -> {
                while (sending.get()) {
                    capture.flush();
                    clock.advance(Duration.ofMillis(7));
                }
            });
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                senders.add(threads.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        Requests.ok(function.apply(invocations(3)));
                    }
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
            sending.set(false);
            flusher.get();
        } finally {
            threads.shutdownNow();
        }
        capture.flush();

        List<S3Object> objects = s3.objects("capture/" + BC + "/1/");
        assertThat(objects.stream().mapToLong(o -> read(o).rowCount()).sum()).isEqualTo(4 * 100 * 3);
        assertThat(objects.stream().map(S3Object::key).distinct()).hasSameSizeAs(objects);
    }

    @Test
    void record_profileUnreadable_skipsTheVersionUntilTheRetryThenCapturesItsColumns() {
        SketchCapture capture = capture(CaptureSettings.defaults());
        PredictFunction function = function(capture);
        resolver.profileUnreadable(BC, 1, true);

        Requests.ok(function.apply(invocations(2)));
        Requests.ok(function.apply(invocations(2)));
        int fetchesWhileFailing = resolver.profileFetches(BC, 1);
        resolver.profileUnreadable(BC, 1, false);
        Requests.ok(function.apply(invocations(2)));
        long beforeRetry = capture.unflushedRows();
        clock.advance(CaptureSettings.DEFAULT_SCHEMA_RETRY);
        Requests.ok(function.apply(invocations(2)));
        capture.flush();

        assertThat(fetchesWhileFailing).isEqualTo(1);
        assertThat(beforeRetry).isZero();
        StreamingProfile sketch = read(s3.objects("capture/" + BC + "/1/").get(0));
        assertThat(sketch.rowCount()).isEqualTo(2);
        assertThat(sketch.schema()).hasSize(breastCancer.card().features().size() + 2);
    }

    @Test
    void flush_idleVersion_isLetGoAndCapturedAgainWithoutReadingItsProfileAgain() {
        SketchCapture capture = capture(CaptureSettings.defaults());
        PredictFunction function = function(capture);

        Requests.ok(function.apply(invocations(1)));
        capture.flush();
        capture.flush();
        capture.flush(); // two flushes without traffic: the version's capture is let go
        Requests.ok(function.apply(invocations(2)));
        capture.flush();

        assertThat(s3.objects("capture/" + BC + "/1/")).extracting(o -> read(o).rowCount()).containsExactly(1L, 2L);
        assertThat(resolver.profileFetches(BC, 1)).isEqualTo(1);
    }

    @Test
    void prime_syntheticRowsAreNotCaptured_butTheProfileIsRead() {
        SketchCapture capture = capture(CaptureSettings.defaults());
        PredictFunction function = function(capture);
        resolver.hot(ModelReference.champion(BC));

        function.prime();
        capture.flush();

        assertThat(resolver.profileFetches(BC, 1)).isEqualTo(1);
        assertThat(capture.unflushedRows()).isZero();
        assertThat(s3.objects("capture/")).isEmpty();
    }

    @Test
    void beforeCheckpoint_unwritableSketch_isDroppedAndAfterRestoreTheContainerIsNew() {
        SketchCapture capture = SketchCapture.create(new S3CaptureSink(s3.client(), "no-such-bucket"),
                CaptureSettings.defaults(), clock);
        PredictFunction function = function(capture);
        Requests.ok(function.apply(invocations(3)));
        capture.flush(); // fails: the 3 rows wait in a named sketch
        Requests.ok(function.apply(invocations(4))); // held back in the live sketch behind it
        long pendingBefore = capture.unflushedRows();
        String before = capture.container();

        capture.beforeCheckpoint();
        capture.afterRestore();

        assertThat(pendingBefore).isEqualTo(7);
        assertThat(capture.unflushedRows()).isZero();
        assertThat(capture.container()).isNotEqualTo(before).matches("[0-9a-f]{12}");
    }

    @Test
    void captureSettings_switch_onOffOrRefused() {
        assertThat(CaptureSettings.enabled(Map.of())).isTrue();
        assertThat(CaptureSettings.enabled(Map.of("CAPSTAN_CAPTURE", "ON"))).isTrue();
        assertThat(CaptureSettings.enabled(Map.of("CAPSTAN_CAPTURE", "off"))).isFalse();
        assertThatThrownBy(() -> CaptureSettings.enabled(Map.of("CAPSTAN_CAPTURE", "false")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'on' or 'off'");
    }

    @Test
    void off_recordsNothing() {
        PredictFunction function = function(TrafficCapture.off());

        Requests.ok(function.apply(invocations(3)));
        function.capture().flush();

        assertThat(s3.objects("capture/")).isEmpty();
        assertThat(resolver.profileFetches(BC, 1)).isZero();
    }

    /**
     * 500 rows with R = 16: strata of 32 rows (j = 5), 15 of them, then 20 rows left as strata of 16 and 4; 17 rows
     * folded, standing for all 500. Counts stay exact; the sampling's bound is stated; a request of R rows is whole.
     */
    @Test
    void record_requestAboveExactRows_foldsAWeightedSampleAndCountsEveryRow() {
        SketchCapture capture = capture(EVERY_ROW);
        PredictFunction function = function(capture);

        Requests.ok(function.apply(invocations(500)));
        capture.flush();
        Requests.ok(function.apply(invocations(16)));
        capture.flush();

        List<S3Object> objects = s3.objects("capture/" + BC + "/1/");
        assertThat(objects).hasSize(2);
        DatasetProfile sampled = read(objects.get(0)).toDatasetProfile();
        DatasetProfile whole = read(objects.get(1)).toDatasetProfile();
        assertThat(sampled.rowCount()).isEqualTo(500);
        String feature = breastCancer.card().features().get(0);
        NumericFeatureProfile column = numeric(sampled, feature);
        assertThat(column.count()).isEqualTo(500);
        // 15 sampled values on level 5; the two strata of 16 and 4 rows left one value each, which DataSketches'
        // weighted update of a lone item stores as 16 and 4 copies
        assertThat(column.sketch().getN()).isEqualTo(500);
        assertThat(column.sketch().getNumRetained()).isEqualTo(15 + 16 + 4);
        double squares = 15 * 32 * 32 + 16 * 16 + 4 * 4;
        assertThat(column.samplingRankError()).isCloseTo(Math.sqrt(Math.log(200) * squares / 2) / 500, within(1e-12));
        int at = breastCancer.csvColumns().indexOf(feature);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int r = 0; r < 500; r++) {
            min = Math.min(min, breastCancer.rows()[r][at]);
            max = Math.max(max, breastCancer.rows()[r][at]);
        }
        assertThat(column.min()).isBetween(min, max);
        assertThat(column.max()).isBetween(min, max);
        assertThat(whole.rowCount()).isEqualTo(16);
        assertThat(numeric(whole, feature).samplingRankError()).isZero();
        assertThat(numeric(whole, feature).sketch().getNumRetained()).isEqualTo(16);
    }

    @Test
    void withEnvironment_exactRows_readsAPositiveCountAndRefusesAnythingElse() {
        assertThat(CaptureSettings.defaults().withEnvironment(Map.of()).exactRows())
                .isEqualTo(CaptureSettings.DEFAULT_EXACT_ROWS);
        assertThat(CaptureSettings.defaults().withEnvironment(Map.of(CaptureSettings.EXACT_ROWS_ENV, " 1000 "))
                .exactRows()).isEqualTo(1000);
        for (String bad : List.of("0", "-3", "many", "1e3")) {
            assertThatThrownBy(() -> CaptureSettings.defaults().withEnvironment(Map.of(CaptureSettings.EXACT_ROWS_ENV,
                    bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(CaptureSettings.EXACT_ROWS_ENV + " is '" + bad + "'; set it to a positive number of"
                            + " rows (unset means " + CaptureSettings.DEFAULT_EXACT_ROWS + ").");
        }
    }

    private SketchCapture capture(CaptureSettings settings) {
        return SketchCapture.create(new S3CaptureSink(s3.client(), s3.bucket()), settings, clock);
    }

    private PredictFunction function(TrafficCapture capture) {
        PredictFixture fixture = new PredictFixture(resolver, InputLimits.defaults(), capture);
        functions.add(fixture);
        return fixture.function;
    }

    private static io.capstan.http.HttpRequest invocations(int rows) {
        return Requests.post("/models/" + BC + "/invocations", Requests.dataframeSplit(breastCancer, rows));
    }

    private StreamingProfile read(S3Object object) {
        return read(s3.bucket(), object.key());
    }

    private static StreamingProfile read(String bucket, String key) {
        return StreamingProfile.fromBytes(s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    }

    private static NumericFeatureProfile numeric(DatasetProfile profile, String name) {
        return (NumericFeatureProfile) profile.feature(name).orElseThrow();
    }
}
