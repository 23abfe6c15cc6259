package io.capstan.quality.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpRequest;
import io.capstan.http.RouteTable;
import io.capstan.monitoring.QualityMetrics;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.QualitySchedule;
import io.capstan.quality.function.QualityFunction;
import io.capstan.quality.serving.ServingControl;
import io.capstan.quality.storage.S3QualityStorage;
import io.capstan.quality.testutils.PredictionRecords;
import io.capstan.testing.MutableClock;
import io.capstan.testing.S3ProxyBuckets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The quality function's schedule on S3Proxy: the EventBridge rule's event checks one model or every model with
 * prediction records, publishes each model's figure over the window as a metric, and returns the outcomes.
 */
class QualityLambdaHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("capture");

    @Test
    void scheduleOfEveryModel_checksEachModelWithRecords_andPublishesItsAccuracy() throws Exception {
        S3QualityStorage storage = new S3QualityStorage(s3.client(), s3.bucket());
        MutableClock clock = new MutableClock(START);
        List<QualityMetrics.Measured> published = new ArrayList<>();
        QualityLambdaHandler handler = new QualityLambdaHandler(new QualityMonitor(storage, published::add,
                ServingControl.none(), clock),
                storage, Optional.empty());
        PredictionRecords.write(storage, "churn", START, List.of(
                PredictionRecords.classified("a", "1", START, "yes", 0.9),
                PredictionRecords.classified("b", "1", START, "no", 0.3),
                PredictionRecords.classified("c", "2", START, "yes", 0.7),
                PredictionRecords.classified("d", "2", START, "yes", 0.6)));
        PredictionRecords.write(storage, "fraud model", START, List.of(
                PredictionRecords.classified("x", "4", START, "no", 0.1)));
        clock.advance(Duration.ofMinutes(5));
        JsonNode accepted = invoke(new QualityFunction(new QualityMonitor(storage, clock),
                storage, clock, RouteTable.capstan()), "churn",
                "{\"labels\": [{\"id\": \"a\", \"label\": \"yes\"}, {\"id\": \"b\", \"label\": \"yes\"},"
                        + " {\"id\": \"c\", \"label\": \"yes\"}]}");
        assertThat(accepted.get("accepted").asInt()).isEqualTo(3);

        JsonNode result = run(handler, "{\"source\": \"capstan.quality-schedule\", \"model\": \"*\","
                + " \"window_hours\": 2}");

        assertThat(result.get("checks").findValuesAsText("model_name")).containsExactly("churn", "fraud model");
        assertThat(published).singleElement().satisfies(measured -> {
            assertThat(measured.model()).isEqualTo("churn");
            assertThat(measured.metric()).isEqualTo(QualityMetrics.ACCURACY);
            assertThat(measured.value()).as("a and c right, b wrong").isCloseTo(2.0 / 3, within(1e-12));
            assertThat(measured.labelCoverage()).isCloseTo(0.75, within(1e-12));
            assertThat(measured.labelled()).isEqualTo(3);
        });
    }

    @Test
    void scheduleEvent_isReadWithItsWindow_andAnythingElseIsNoSchedule() throws Exception {
        assertThat(QualitySchedule.from(JSON.readTree("{\"source\": \"capstan.quality-schedule\","
                + " \"model\": \"churn\", \"window_hours\": 6}"))).hasValue(new QualitySchedule("churn",
                Duration.ofHours(6)));
        assertThat(QualitySchedule.from(JSON.readTree("{\"source\": \"capstan.quality-schedule\"}")))
                .hasValue(new QualitySchedule("*", QualitySchedule.DEFAULT_WINDOW));
        assertThat(QualitySchedule.from(JSON.readTree("{\"version\": \"2.0\", \"rawPath\": \"/models/x/quality\"}")))
                .isEmpty();
        assertThatThrownBy(() -> QualitySchedule.from(JSON.readTree("{\"source\": \"capstan.quality-schedule\","
                + " \"window_hours\": 0}"))).hasMessageContaining("window_hours");
    }

    private static JsonNode run(QualityLambdaHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static JsonNode invoke(QualityFunction function, String model, String body)
            throws Exception {
        return JSON.readTree(function.apply(new HttpRequest("POST", "/models/" + model + "/feedback",
                Map.of(), Map.of("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), "ada@example.com")).body());
    }
}
