package io.capstan.predict.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpResponse;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import io.capstan.testing.MutableClock;
import io.capstan.testing.S3ProxyBuckets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Prediction records through the predict function on real ONNX Runtime, flushed to S3Proxy: one record per scored row
 * with the id the answer returned, the version and the output; partitions by model and UTC hour; flushes on the
 * interval; a failed write tried again and never written twice.
 */
class PredictionLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BC = "breast-cancer";
    private static final Instant START = Instant.parse("2026-11-22T09:59:58Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("capture");
    private static final TrainedModel breastCancer = TrainedModels.breastCancer();

    private final List<PredictFixture> functions = new ArrayList<>();
    private MutableClock clock;

    @BeforeEach
    void newClock() {
        clock = new MutableClock(START);
    }

    @AfterEach
    void closeSessions() {
        functions.forEach(PredictFixture::close);
    }

    @Test
    void record_eachScoredRow_withTheIdTheAnswerReturned_theVersionAndTheOutput() throws Exception {
        PredictionLog log = log(new S3CaptureSink(s3.client(), s3.bucket()));
        PredictFunction function = function(log);

        JsonNode answer = Requests.json(Requests.ok(function.apply(Requests.post("/models/" + BC + "/invocations",
                Requests.dataframeSplit(breastCancer, 5)))));
        clock.advance(Duration.ofSeconds(3)); // into the next UTC hour: a second partition
        JsonNode single = Requests.json(Requests.ok(function.apply(Requests.post("/models/" + BC + "/invocations",
                Requests.dataframeSplit(breastCancer, 1), Map.of("X-Capstan-Prediction-Id", "order-17")))));
        log.flush();

        List<S3Object> objects = s3.objects("predictions/");
        assertThat(objects).extracting(S3Object::key).hasSize(2).allMatch(key -> key.matches(
                "predictions/model=breast-cancer/dt=2026-11-22/hour=(09|10)/\\d{13}-[0-9a-f]{12}\\.jsonl\\.gz"));
        List<JsonNode> records = new ArrayList<>();
        objects.forEach(object -> records.addAll(lines(object.key())));
        assertThat(records).hasSize(6);
        for (int row = 0; row < 5; row++) {
            JsonNode served = answer.at("/predictions/" + row);
            JsonNode recorded = records.get(row);
            assertThat(recorded.get("id").asText()).isEqualTo(served.get("prediction_id").asText());
            assertThat(recorded.get("version").asText()).isEqualTo("1");
            assertThat(recorded.get("time").asLong()).isEqualTo(START.toEpochMilli());
            assertThat(recorded.get("label").asText()).isEqualTo(served.get("label").asText());
            served.get("probabilities").fields().forEachRemaining(p -> assertThat(recorded.at("/probabilities/"
                    + p.getKey()).asDouble()).isCloseTo(p.getValue().asDouble(), within(1e-7)));
            assertThat(recorded.has("mean_radius")).as("no input is recorded").isFalse();
        }
        assertThat(single.at("/predictions/0/prediction_id").asText()).isEqualTo("order-17");
        assertThat(records.get(5).get("id").asText()).isEqualTo("order-17");
    }

    @Test
    void record_holdsTheInputs_onlyWhenTheModelsPolicyAsks() throws Exception {
        PredictionLog log = log(new S3CaptureSink(s3.client(), s3.bucket()));
        InMemoryModelResolver resolver = new InMemoryModelResolver().register(BC, 1, breastCancer)
                .recordInputs(BC, 1);
        PredictFixture fixture = new PredictFixture(resolver, InputLimits.defaults(), log);
        functions.add(fixture);

        Requests.ok(fixture.function.apply(Requests.post("/models/" + BC + "/invocations",
                Requests.dataframeSplit(breastCancer, 3))));
        log.flush();

        List<JsonNode> records = new ArrayList<>();
        s3.objects("predictions/").forEach(object -> records.addAll(lines(object.key())));
        assertThat(records).hasSize(3);
        List<String> features = breastCancer.card().features();
        for (int row = 0; row < 3; row++) {
            JsonNode inputs = records.get(row).get("inputs");
            assertThat(inputs).as("row %d's record", row).isNotNull().hasSize(features.size());
            float[] sent = breastCancer.rowInCardOrder(row);
            for (int feature = 0; feature < features.size(); feature++) {
                assertThat((float) inputs.get(features.get(feature)).asDouble()).isEqualTo(sent[feature]);
            }
        }
    }

    @Test
    void flushIfDue_writesOnceTheIntervalHasPassed() {
        PredictionLog log = log(new S3CaptureSink(s3.client(), s3.bucket()));
        PredictFunction function = function(log);

        Requests.ok(function.apply(invocations(3)));
        clock.advance(INTERVAL.minusSeconds(1));
        Requests.ok(function.apply(invocations(1)));
        assertThat(s3.objects("predictions/")).as("before the interval").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        Requests.ok(function.apply(invocations(1)));

        assertThat(s3.objects("predictions/").stream().mapToInt(object -> lines(object.key()).size()).sum())
                .as("every row up to the flush").isEqualTo(5);
    }

    @Test
    void flush_whenTheBucketRefuses_keepsTheRecords_andWritesThemOnceItAccepts() {
        String later = "created-later";
        PredictionLog log = log(new S3CaptureSink(s3.client(), later));
        PredictFunction function = function(log);

        Requests.ok(function.apply(invocations(4)));
        log.flush();
        s3.client().createBucket(b -> b.bucket(later));
        Requests.ok(function.apply(invocations(2)));
        log.flush();
        log.flush();

        List<S3Object> written = s3.client().listObjectsV2Paginator(b -> b.bucket(later)).contents().stream().toList();
        List<JsonNode> records = new ArrayList<>();
        written.forEach(object -> records.addAll(lines(later, object.key())));
        assertThat(records).hasSize(6);
        assertThat(records.stream().map(r -> r.get("id").asText()).distinct()).hasSize(6);
    }

    @Test
    void primingRows_areNotRecorded() {
        PredictionLog log = log(new S3CaptureSink(s3.client(), s3.bucket()));
        InMemoryModelResolver resolver = new InMemoryModelResolver().register(BC, 1, breastCancer)
                .hot(io.capstan.predict.ModelReference.champion(BC));
        PredictFixture fixture = new PredictFixture(resolver, InputLimits.defaults(), log);
        functions.add(fixture);

        assertThat(fixture.function.prime()).isNotEmpty();
        log.flush();

        assertThat(s3.objects("predictions/")).isEmpty();
    }

    @Test
    void enabled_readsTheSwitch() {
        assertThat(PredictionLog.enabled(Map.of())).isTrue();
        assertThat(PredictionLog.enabled(Map.of(PredictionLog.SWITCH_ENV, "OFF"))).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PredictionLog.enabled(Map.of(
                PredictionLog.SWITCH_ENV, "maybe"))).hasMessageContaining("'on' or 'off'");
    }

    private PredictionLog log(CaptureSink sink) {
        return new PredictionLog(sink, INTERVAL, PredictionLog.DEFAULT_MAX_BUFFERED_BYTES, clock);
    }

    private PredictFunction function(TrafficCapture capture) {
        InMemoryModelResolver resolver = new InMemoryModelResolver().register(BC, 1, breastCancer);
        PredictFixture fixture = new PredictFixture(resolver, InputLimits.defaults(), capture);
        functions.add(fixture);
        return fixture.function;
    }

    private static io.capstan.http.HttpRequest invocations(int rows) {
        return Requests.post("/models/" + BC + "/invocations", Requests.dataframeSplit(breastCancer, rows));
    }

    private List<JsonNode> lines(String key) {
        return lines(s3.bucket(), key);
    }

    private static List<JsonNode> lines(String bucket, String key) {
        try (GZIPInputStream in = new GZIPInputStream(s3.client().getObject(b -> b.bucket(bucket).key(key)))) {
            List<JsonNode> records = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                records.add(JSON.readTree(line));
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
