package io.capstan.predict.lambda;

import static io.capstan.predict.testutils.Requests.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.predict.ModelReference;
import io.capstan.predict.capture.PredictionLog;
import io.capstan.predict.capture.SketchCapture;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictRoutes;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModels;
import io.capstan.profile.StreamingProfile;
import io.capstan.storage.BucketDefinition;
import io.capstan.testing.S3ProxyFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The Lambda entry point on API Gateway HTTP API (payload 2.0) events, from event bytes to response bytes. */
class PredictLambdaHandlerTest {
    private InMemoryModelResolver resolver;
    private PredictLambdaHandler handler;

    @BeforeEach
    void create() {
        resolver = new InMemoryModelResolver()
                .register("breast-cancer", 1, TrainedModels.breastCancer())
                .register("breast-cancer", 2, TrainedModels.breastCancer())
                .canary("breast-cancer", "user-7", 2)
                .register("iris", 1, TrainedModels.iris());
        handler = new PredictLambdaHandler(resolver, PredictRoutes.routes());
    }

    @Test
    void handleRequest_invocationsEvent_answersPredictionsWithTheVersion() throws Exception {
        String body = Requests.dataframeSplit(TrainedModels.breastCancer(), 2);
        String event = event("invocations.json").replace("\"${BODY}\"", JSON.writeValueAsString(body));

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        assertThat(response.at("/headers/X-Capstan-Model-Version").asText()).isEqualTo("2");
        assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode predictions = JSON.readTree(response.get("body").asText()).get("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).get("label").asText()).isIn("malignant", "benign");
    }

    @Test
    void handleRequest_base64BodyAndEncodedPath_decodesBoth() throws Exception {
        String body = Requests.text(Requests.inferFullTensor(TrainedModels.iris(), 3));
        String event = event("infer-base64.json").replace("${BODY_BASE64}",
                Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));

        JsonNode response = invoke(event);

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.get("body").asText());
        assertThat(answer.get("model_name").asText()).isEqualTo("iris");
        assertThat(answer.at("/outputs/1/shape").toString()).isEqualTo("[3,3]");
    }

    @Test
    void handleRequest_unknownModel_answers404InOipShape() throws Exception {
        JsonNode response = invoke(event("model-ready-unknown.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(404);
        assertThat(JSON.readTree(response.get("body").asText()).get("error").asText()).contains("nope");
    }

    @Test
    void beforeCheckpoint_primesTheHotModels() {
        resolver.hot(ModelReference.champion("iris"));

        handler.beforeCheckpoint(null);

        assertThat(resolver.fetches("iris", 1)).isEqualTo(1);
    }

    @Test
    void captureFromEnvironment_bucketSet_capturesInvocationsIntoIt() throws Exception {
        try (S3ProxyFixture s3 = S3ProxyFixture.transientStore()) {
            s3.client().createBucket(b -> b.bucket("capstan-capture-test"));
            TrafficCapture capture = PredictLambdaHandler.captureFromEnvironment(Map.of(
                    BucketDefinition.CAPTURE.nameEnvVar(), "capstan-capture-test"), s3.client(), Clock.systemUTC());
            handler = new PredictLambdaHandler(resolver, PredictRoutes.routes(), capture);
            String body = Requests.dataframeSplit(TrainedModels.breastCancer(), 2);

            invoke(event("invocations.json").replace("\"${BODY}\"", JSON.writeValueAsString(body)));
            handler.beforeCheckpoint(null);

            List<S3Object> sketches = s3.client().listObjectsV2Paginator(b -> b.bucket("capstan-capture-test")
                    .prefix("capture/breast-cancer/2/")).contents().stream().toList();
            assertThat(capture).isInstanceOf(TrafficCapture.Both.class);
            assertThat(((TrafficCapture.Both) capture).first()).isInstanceOf(SketchCapture.class);
            assertThat(sketches).hasSize(1);
            assertThat(s3.client().listObjectsV2Paginator(b -> b.bucket("capstan-capture-test")
                    .prefix("predictions/model=breast-cancer/")).contents().stream().toList())
                    .as("the invocation's prediction records, flushed before the checkpoint").hasSize(1);
            assertThat(StreamingProfile.fromBytes(s3.client().getObjectAsBytes(b -> b.bucket("capstan-capture-test")
                    .key(sketches.get(0).key())).asByteArray()).rowCount()).isEqualTo(2);
        }
    }

    @Test
    void captureFromEnvironment_offOrNoBucket_capturesNothing_andABadSwitchIsRefused() throws Exception {
        try (S3ProxyFixture s3 = S3ProxyFixture.transientStore()) {
            assertThat(PredictLambdaHandler.captureFromEnvironment(Map.of("CAPSTAN_CAPTURE", "off",
                    "CAPSTAN_PREDICTION_LOG", "off", BucketDefinition.CAPTURE.nameEnvVar(), "capstan-capture-test"),
                    s3.client(), Clock.systemUTC())).isSameAs(TrafficCapture.off());
            assertThat(PredictLambdaHandler.captureFromEnvironment(Map.of("CAPSTAN_CAPTURE", "off",
                    BucketDefinition.CAPTURE.nameEnvVar(), "capstan-capture-test"), s3.client(), Clock.systemUTC()))
                    .as("prediction records alone").isInstanceOf(PredictionLog.class);
            assertThat(PredictLambdaHandler.captureFromEnvironment(Map.of(), s3.client(), Clock.systemUTC()))
                    .isSameAs(TrafficCapture.off());
            assertThatThrownBy(() -> PredictLambdaHandler.captureFromEnvironment(Map.of("CAPSTAN_CAPTURE", "0"),
                    s3.client(), Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CAPSTAN_CAPTURE");
        }
    }

    private JsonNode invoke(String event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, null);
        return JSON.readTree(output.toByteArray());
    }

    private static String event(String name) throws Exception {
        try (InputStream in = PredictLambdaHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
