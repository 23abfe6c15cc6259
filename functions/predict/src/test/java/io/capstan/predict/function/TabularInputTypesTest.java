package io.capstan.predict.function;

import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.http.HttpResponse;
import io.capstan.model.ModelCard;
import io.capstan.predict.onnx.OnnxSessionCache;
import io.capstan.predict.onnx.SessionSettings;
import io.capstan.predict.testutils.HandBuiltModels;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictRoutes;
import io.capstan.predict.testutils.Requests;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tabular path beyond Capstan's float classifiers: double and int64 inputs and regressors, on Capstan's flavor
 * (whose answers keep Capstan's shape), checked against the models' own arithmetic.
 */
class TabularInputTypesTest {
    private static final float[][] WEIGHTS = {{0.5f, -1f, 0.25f}, {2f, 0.5f, -0.75f}};
    private static final List<String> LABELS = List.of("low", "mid", "high");
    private static final List<String> FEATURES = List.of("a", "b");
    private static final OnnxSessionCache SESSIONS = new OnnxSessionCache(OrtEnvironment.getEnvironment(),
            SessionSettings.defaults());
    private static PredictFunction function;

    @BeforeAll
    static void start() {
        InMemoryModelResolver resolver = new InMemoryModelResolver()
                .register("doubles", 1, card(ModelCard.TensorType.DOUBLE), HandBuiltModels.classifier(
                        ModelCard.TensorType.DOUBLE, WEIGHTS))
                .register("longs", 1, card(ModelCard.TensorType.INT64), HandBuiltModels.classifier(
                        ModelCard.TensorType.INT64, WEIGHTS))
                .register("regressor", 1, new ModelCard(2, ModelCard.Task.REGRESSION, "X", ModelCard.TensorType.FLOAT,
                        FEATURES, "value", List.of("price"), "price", null, null), HandBuiltModels.regressor(
                        ModelCard.TensorType.FLOAT, new float[]{1.5f, -2f}));
        function = new PredictFunction(resolver, SESSIONS, PredictRoutes.routes());
    }

    @AfterAll
    static void stop() {
        SESSIONS.close();
    }

    @Test
    void invocations_doubleInput_answersInCapstansShapeAsTheModelComputes() {
        double[][] rows = {{0.1, 0.2}, {-3.5, 1.25}, {1e-3, 42}};

        JsonNode predictions = predictions("doubles", "{\"dataframe_split\": {\"columns\": [\"b\", \"a\"], \"data\":"
                + " [[0.2, 0.1], [1.25, -3.5], [42, 0.001]]}}");

        for (int r = 0; r < rows.length; r++) {
            double[] expected = HandBuiltModels.softmax(rows[r], WEIGHTS);
            int best = 0;
            for (int c = 0; c < LABELS.size(); c++) {
                assertThat(predictions.get(r).at("/probabilities/" + LABELS.get(c)).asDouble()).as("row %d", r)
                        .isCloseTo(expected[c], within(1e-6));
                best = expected[c] > expected[best] ? c : best;
            }
            assertThat(predictions.get(r).get("label").asText()).isEqualTo(LABELS.get(best));
        }
    }

    @Test
    void invocations_int64Input_takesIntegersAndRefusesFractions() {
        JsonNode predictions = predictions("longs", "{\"inputs\": {\"a\": [3, -2], \"b\": [\"7\", 0]}}");
        HttpResponse fraction = call("longs", "{\"inputs\": {\"a\": [3.5], \"b\": [1]}}");

        assertThat(predictions.get(1).at("/probabilities/high").asDouble())
                .isCloseTo(HandBuiltModels.softmax(new double[]{-2, 0}, WEIGHTS)[2], within(1e-6));
        assertThat(predictions.get(0).at("/probabilities/low").asDouble())
                .isCloseTo(HandBuiltModels.softmax(new double[]{3, 7}, WEIGHTS)[0], within(1e-6));
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(json(fraction).get("message").asText()).isEqualTo("inputs: row 0, column 'a': 3.5 is not an"
                + " integer; the model takes int64 values.");
    }

    @Test
    void invocations_regressorOfCapstansFlavor_answersTheTargetPerRow() {
        JsonNode predictions = predictions("regressor", "{\"dataframe_records\": [{\"a\": 2, \"b\": 1},"
                + " {\"a\": -1, \"b\": 0.5}]}");

        assertThat(predictions.findValuesAsText("price")).containsExactly("1.0", "-2.5");
        assertThat(predictions.findValuesAsText("prediction_id")).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void infer_regressorAndDoubleInputOfCapstansFlavor_answerTheirOutputs() {
        HttpResponse regression = function.apply(post("/v2/models/regressor/infer", "{\"inputs\": [{\"name\": \"X\","
                + " \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [2, 1]}]}"));
        HttpResponse doubles = function.apply(post("/v2/models/doubles/infer", "{\"inputs\": [{\"name\": \"X\","
                + " \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [[0.1, 0.2]]}]}"));

        assertThat(Requests.text(json(regression).get("outputs"))).isEqualTo("[{\"name\":\"value\",\"datatype\":"
                + "\"FP32\",\"shape\":[1,1],\"data\":[1.0]}]");
        assertThat(json(doubles).at("/outputs/1/name").asText()).isEqualTo("probabilities");
        assertThat(json(doubles).at("/outputs/1/data/0").asDouble())
                .isCloseTo(HandBuiltModels.softmax(new double[]{0.1, 0.2}, WEIGHTS)[0], within(1e-6));
    }

    @Test
    void modelMetadata_doubleInput_describesAnFp64Tensor() {
        JsonNode metadata = json(function.apply(Requests.get("/v2/models/doubles")));

        assertThat(Requests.text(metadata.get("inputs"))).isEqualTo("[{\"name\":\"X\",\"datatype\":\"FP64\","
                + "\"shape\":[-1,2]}]");
    }

    private static ModelCard card(ModelCard.TensorType type) {
        return new ModelCard(1, ModelCard.Task.CLASSIFICATION, "X", type, FEATURES, "probabilities", LABELS, "label");
    }

    private static JsonNode predictions(String model, String body) {
        HttpResponse response = call(model, body);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return json(response).get("predictions");
    }

    private static HttpResponse call(String model, String body) {
        return function.apply(post("/models/" + model + "/invocations", body));
    }
}
