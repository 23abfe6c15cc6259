package io.capstan.predict.function;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Every scored row's prediction id: the caller's own from an id column named by {@code X-Capstan-Id-Column} (in each
 * MLflow format that names columns) or from {@code X-Capstan-Prediction-Id} for one row, else generated and unique;
 * refused with the field named when two rows share an id, the column is missing or is a feature.
 */
class PredictionIdsTest {
    private static final String INVOCATIONS = "/models/" + BREAST_CANCER + "/invocations";
    private static final Map<String, String> ID_COLUMN = Map.of("X-Capstan-Id-Column", "customer");

    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();
    private static final TrainedModel breastCancer = TrainedModels.breastCancer();

    @Test
    void idColumn_inEveryFormatThatNamesColumns_givesEachRowItsId_andIsNoFeature() {
        ObjectNode split = (ObjectNode) parse(Requests.dataframeSplit(breastCancer, 3));
        ObjectNode frame = (ObjectNode) split.get("dataframe_split");
        ((ArrayNode) frame.get("columns")).insert(0, "customer");
        for (int row = 0; row < 3; row++) {
            ArrayNode data = (ArrayNode) frame.get("data").get(row);
            if (row == 1) {
                data.insert(0, 1001);
            } else {
                data.insert(0, "c-" + row);
            }
        }
        ArrayNode records = Requests.records(breastCancer, 3);
        ObjectNode columnar = (ObjectNode) parse(Requests.inputsColumnar(breastCancer, 3));
        ArrayNode ids = ((ObjectNode) columnar.get("inputs")).putArray("customer");
        for (int row = 0; row < 3; row++) {
            ((ObjectNode) records.get(row)).put("customer", row == 1 ? "1001" : "c-" + row);
            ids.add(row == 1 ? "1001" : "c-" + row);
        }

        for (String body : List.of(Requests.text(split), Requests.wrap("dataframe_records", records),
                Requests.wrap("instances", records), Requests.text(columnar))) {
            HttpResponse response = fixture.call(post(INVOCATIONS, body, ID_COLUMN));
            assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
            assertThat(json(response).get("predictions").findValuesAsText("prediction_id")).as(body.substring(0, 30))
                    .containsExactly("c-0", "1001", "c-2");
        }
    }

    @Test
    void predictionIdHeader_namesASingleRow_inTheBodyAndTheResponseHeader() {
        HttpResponse response = fixture.call(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 1),
                Map.of("X-Capstan-Prediction-Id", "order-17")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).at("/predictions/0/prediction_id").asText()).isEqualTo("order-17");
        assertThat(response.headers()).containsEntry("X-Capstan-Prediction-Id", "order-17");
    }

    @Test
    void generatedIds_areDistinct_withinAndAcrossRequests() {
        JsonNode first = json(fixture.call(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 50))));
        JsonNode second = json(fixture.call(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 50))));

        List<String> ids = new java.util.ArrayList<>(first.get("predictions").findValuesAsText("prediction_id"));
        ids.addAll(second.get("predictions").findValuesAsText("prediction_id"));
        assertThat(ids).hasSize(100).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{24}-\\d+"));
    }

    @Test
    void openInferenceProtocol_returnsTheIdsAsAParameter() {
        HttpResponse response = fixture.call(post("/v2/models/" + BREAST_CANCER + "/infer",
                Requests.text(Requests.inferFullTensor(breastCancer, 4)), Map.of()));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(json(response).at("/parameters/prediction_ids")).hasSize(4);
    }

    @Test
    void openInferenceProtocol_idColumn_isATensorOfIds_besideTheFeatures() {
        String infer = "/v2/models/" + BREAST_CANCER + "/infer";
        ObjectNode columns = Requests.inferColumnTensors(breastCancer, 3);
        ((ArrayNode) columns.get("inputs")).insertObject(0).put("name", "customer").put("datatype", "BYTES")
                .<ObjectNode>set("shape", JSON.createArrayNode().add(3))
                .putArray("data").add("c-0").add("c-1").add("c-2");
        ObjectNode full = Requests.inferFullTensor(breastCancer, 2);
        ((ArrayNode) full.get("inputs")).addObject().put("name", "customer").put("datatype", "INT64")
                .<ObjectNode>set("shape", JSON.createArrayNode().add(2).add(1))
                .putArray("data").add(JSON.createArrayNode().add(1001)).add(JSON.createArrayNode().add(1002));

        HttpResponse byColumns = fixture.call(post(infer, Requests.text(columns), ID_COLUMN));
        HttpResponse byTensor = fixture.call(post(infer, Requests.text(full), ID_COLUMN));

        assertThat(byColumns.status()).as(byColumns.bodyAsString()).isEqualTo(200);
        assertThat(json(byColumns).at("/parameters/prediction_ids")).extracting(JsonNode::asText)
                .containsExactly("c-0", "c-1", "c-2");
        assertThat(json(byTensor).at("/parameters/prediction_ids")).extracting(JsonNode::asText)
                .containsExactly("1001", "1002");
        assertThat(json(byColumns).at("/outputs/0/shape/0").asInt()).as("three rows scored, the ids no feature")
                .isEqualTo(3);

        assertRefusedByOip(post(infer, Requests.text(Requests.inferFullTensor(breastCancer, 2)), ID_COLUMN),
                "The infer request has no input 'customer'");
        ObjectNode idsOnly = JSON.createObjectNode();
        idsOnly.putArray("inputs").addObject().put("name", "customer").put("datatype", "BYTES")
                .<ObjectNode>set("shape", JSON.createArrayNode().add(1)).putArray("data").add("c-9");
        assertRefusedByOip(post(infer, Requests.text(idsOnly), ID_COLUMN), "has no feature tensor");
        ((ArrayNode) full.get("inputs").get(1).get("data")).remove(1);
        ((ArrayNode) full.get("inputs").get(1).get("shape")).set(0, 1);
        assertRefusedByOip(post(infer, Requests.text(full), ID_COLUMN), "has 1 ids but '"
                + breastCancer.card().inputTensor() + "' has 2 rows");
        ((ObjectNode) columns.get("inputs").get(0)).put("datatype", "FP32");
        assertRefusedByOip(post(infer, Requests.text(columns), ID_COLUMN), "prediction ids are BYTES (strings) or"
                + " integers");
        ((ObjectNode) columns.get("inputs").get(0)).put("datatype", "BYTES");
        ((ArrayNode) columns.get("inputs").get(0).get("data")).set(2, "c-0");
        assertRefusedByOip(post(infer, Requests.text(columns), ID_COLUMN), "Rows 0 and 2 have the same prediction id");
    }

    @Test
    void badIds_areRefused_namingTheRowsOrTheHeader() {
        ArrayNode records = Requests.records(breastCancer, 3);
        for (int row = 0; row < 3; row++) {
            ((ObjectNode) records.get(row)).put("customer", row == 2 ? "c-0" : "c-" + row);
        }
        assertRefused(post(INVOCATIONS, Requests.wrap("dataframe_records", records), ID_COLUMN),
                "Rows 0 and 2 have the same prediction id 'c-0'");

        ((ObjectNode) records.get(1)).remove("customer");
        assertRefused(post(INVOCATIONS, Requests.wrap("dataframe_records", records), ID_COLUMN),
                "Row 1 has no value in the id column 'customer'");

        assertRefused(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 2), ID_COLUMN),
                "dataframe_split.columns has no column 'customer'");

        assertRefused(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 2),
                Map.of("X-Capstan-Id-Column", breastCancer.csvColumns().get(0))), "is one of the model's features");

        assertRefused(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 2),
                Map.of("X-Capstan-Prediction-Id", "one")), "X-Capstan-Prediction-Id gives one id, but the request"
                + " has 2 rows");

        assertRefused(post(INVOCATIONS, Requests.dataframeSplit(breastCancer, 1),
                Map.of("X-Capstan-Prediction-Id", "a\ud800")), "unpaired UTF-16 surrogate");
        String loneSurrogate = Requests.wrap("dataframe_records", Requests.records(breastCancer, 1))
                .replaceFirst("\\[\\{", "[{\"customer\": \"x\\\\ud800\", ");
        assertRefused(post(INVOCATIONS, loneSurrogate, ID_COLUMN), "unpaired UTF-16 surrogate");

        ((ObjectNode) records.get(1)).putObject("customer");
        assertRefused(post(INVOCATIONS, Requests.wrap("dataframe_records", records), ID_COLUMN),
                "column 'customer': is an object; a prediction id is a string or an integer");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Open Inference Protocol's error: 400 and {@code {"error": ...}}. */
    private static void assertRefusedByOip(io.capstan.http.HttpRequest request, String message) {
        HttpResponse response = fixture.call(request);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains(message);
    }

    private static void assertRefused(io.capstan.http.HttpRequest request, String message) {
        HttpResponse response = fixture.call(request);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(response).get("message").asText()).contains(message);
    }
}
