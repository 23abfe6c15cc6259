package io.capstan.predict.function;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static io.capstan.predict.testutils.PredictFixture.IRIS;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.testutils.OrtReference;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/** The MLflow scoring protocol: every input format, column reordering, parity with ONNX Runtime and Tribuo. */
class MlflowScoringTest {
    private static final String INVOCATIONS = "/models/" + BREAST_CANCER + "/invocations";
    private static final int ROWS = 40;
    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();
    private static final TrainedModel breastCancer = TrainedModels.breastCancer();

    @Test
    void invocations_dataframeSplitInCsvOrder_matchesOnnxRuntimeAndTribuo() {
        HttpResponse response = fixture.call(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, ROWS)));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertMatchesReferences(breastCancer, json(response).get("predictions"), ROWS);
    }

    @Test
    void invocations_threeClassModel_matchesOnnxRuntimeAndTribuo() {
        TrainedModel iris = TrainedModels.iris();

        HttpResponse response = fixture.call(post("/models/" + IRIS + "/invocations",
                Requests.dataframeRecords(iris, 150)));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertMatchesReferences(iris, json(response).get("predictions"), 150);
    }

    @Test
    void invocations_everyFormat_answersTheSamePredictions() {
        JsonNode expected = predictions(Requests.dataframeSplit(breastCancer, ROWS));
        ObjectNode splitDataFirst = JSON.createObjectNode();
        ObjectNode original = (ObjectNode) parse(Requests.dataframeSplit(breastCancer, ROWS)).get("dataframe_split");
        splitDataFirst.set("index", JSON.createArrayNode().add(7));
        splitDataFirst.set("data", original.get("data"));
        splitDataFirst.set("columns", original.get("columns"));

        List<String> bodies = List.of(
                Requests.dataframeRecords(breastCancer, ROWS),
                Requests.wrap("dataframe_split", splitDataFirst),
                Requests.wrap("instances", Requests.records(breastCancer, ROWS)),
                Requests.wrap("instances", Requests.rowsInCardOrder(breastCancer, ROWS)),
                Requests.wrap("inputs", Requests.rowsInCardOrder(breastCancer, ROWS)),
                Requests.wrap("inputs", Requests.records(breastCancer, ROWS)),
                Requests.inputsColumnar(breastCancer, ROWS));

        for (String body : bodies) {
            assertThat(predictions(body)).as(body.substring(0, 40)).isEqualTo(expected);
        }
    }

    @Test
    void invocations_recordKeysInReverseOrder_reorderedToTheCardsOrder() {
        ArrayNode records = JSON.createArrayNode();
        List<String> columns = breastCancer.csvColumns();
        for (int r = 0; r < 3; r++) {
            ObjectNode record = records.addObject();
            for (int c = columns.size() - 1; c >= 0; c--) {
                record.put(columns.get(c), breastCancer.rows()[r][c]);
            }
        }

        JsonNode reversed = predictions(Requests.wrap("dataframe_records", records));

        assertThat(reversed).isEqualTo(predictions(Requests.dataframeSplit(breastCancer, 3)));
        assertThat(breastCancer.card().features()).isNotEqualTo(columns);
    }

    @Test
    void invocations_numericStringsAndIntegers_coercedToFloat() {
        ObjectNode record = (ObjectNode) Requests.records(breastCancer, 1).get(0);
        ObjectNode asStrings = JSON.createObjectNode();
        record.fields().forEachRemaining(e -> asStrings.put(e.getKey(), " " + e.getValue().floatValue() + " "));
        asStrings.put(breastCancer.csvColumns().get(0), 1);
        ObjectNode asNumbers = record.deepCopy();
        asNumbers.put(breastCancer.csvColumns().get(0), 1.0f);

        JsonNode fromStrings = predictions(Requests.wrap("dataframe_records", JSON.createArrayNode().add(asStrings)));

        assertThat(fromStrings).isEqualTo(predictions(Requests.wrap("dataframe_records",
                JSON.createArrayNode().add(asNumbers))));
    }

    @Test
    void invocations_champion_namesTheVersionInBodyAndHeader() {
        HttpResponse response = fixture.call(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 1)));

        assertThat(json(response).get("model_version").asText()).isEqualTo("1");
        assertThat(json(response).get("model_name").asText()).isEqualTo(BREAST_CANCER);
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    @Test
    void invocations_aliasAndPinnedVersion_servedByTheirVersions() {
        String body = Requests.dataframeSplit(breastCancer, 1);

        HttpResponse alias = fixture.call(post("/models/" + BREAST_CANCER + "@challenger/invocations", body));
        HttpResponse pinned = fixture.call(post("/models/" + BREAST_CANCER + "@v1/invocations", body));

        assertThat(alias.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "2");
        assertThat(json(alias).get("model_version").asText()).isEqualTo("2");
        assertThat(pinned.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    @Test
    void invocations_routingKeyHeader_reachesTheResolver() {
        HttpResponse response = fixture.call(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 1),
                Map.of("content-type", "application/json; charset=utf-8",
                        "x-capstan-routing-key", PredictFixture.CANARY_KEY)));

        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "2");
        assertThat(fixture.resolver.lastRoutingKey()).contains(PredictFixture.CANARY_KEY);
    }

    @Test
    void invocations_unknownModel_answersMlflowNotFound() {
        HttpResponse response = fixture.call(post("/models/nope/invocations", Requests.dataframeSplit(breastCancer,
                1)));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    private static void assertMatchesReferences(TrainedModel model, JsonNode predictions, int rows) {
        float[][] ort = OrtReference.probabilities(model, rows);
        List<String> labels = model.card().outputLabels();
        assertThat(predictions).hasSize(rows);
        for (int r = 0; r < rows; r++) {
            JsonNode prediction = predictions.get(r);
            Prediction<Label> tribuo = model.tribuoPrediction(r);
            for (int l = 0; l < labels.size(); l++) {
                double probability = prediction.get("probabilities").get(labels.get(l)).doubleValue();
                assertThat(probability).as("row %d %s vs ORT", r, labels.get(l)).isCloseTo(ort[r][l], within(1e-6));
                assertThat(probability).as("row %d %s vs Tribuo", r, labels.get(l))
                        .isCloseTo(tribuo.getOutputScores().get(labels.get(l)).getScore(), within(1e-5));
            }
            assertThat(prediction.get("label").asText()).as("row %d", r).isEqualTo(tribuo.getOutput().getLabel());
        }
    }

    /** The answer's predictions without their prediction ids (new for every request; checked apart). */
    private static JsonNode predictions(String body) {
        HttpResponse response = fixture.call(post(INVOCATIONS, body));
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        JsonNode predictions = json(response).get("predictions");
        predictions.forEach(prediction -> assertThat(((ObjectNode) prediction).remove("prediction_id")).isNotNull());
        return predictions;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
