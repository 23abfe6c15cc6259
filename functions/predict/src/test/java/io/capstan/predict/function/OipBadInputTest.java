package io.capstan.predict.function;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static io.capstan.predict.testutils.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad infer request answers 400 with OIP's {@code {"error": "..."}}, naming the tensor, column and row. */
class OipBadInputTest {
    private static final String INFER = "/v2/models/" + BREAST_CANCER + "/infer";
    private static final TrainedModel MODEL = TrainedModels.breastCancer();
    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();

    static Stream<Arguments> badRequests() {
        String fifth = MODEL.card().features().get(5);
        return Stream.of(
                bad("unknown input", full(t -> t.put("name", "colour")),
                        "Input 'colour' is neither the model's input tensor 'input' nor one of its feature columns"),
                bad("wrong width", full(t -> shape(t, 2, 29)),
                        "Input 'input' has shape [2, 29]; the model's input tensor has shape [N, 30]"),
                bad("too few values", full(t -> ((ArrayNode) t.get("data")).remove(59)),
                        "Input 'input' has 59 values; shape [2, 30] needs 60"),
                bad("too many values", full(t -> ((ArrayNode) t.get("data")).add(1)),
                        "Input 'input' has more than the 60 values its shape [2, 30] holds"),
                bad("text element", full(t -> ((ArrayNode) t.get("data")).set(35, JSON.getNodeFactory().textNode("x"))),
                        "Input 'input': row 1, column '" + fifth + "': \"x\" is not a number"),
                bad("NaN element", full(t -> ((ArrayNode) t.get("data")).set(0, JSON.getNodeFactory().textNode("nan"))),
                        "row 0, column '" + MODEL.card().features().get(0) + "': nan is not accepted"),
                bad("null in a column tensor", columns(i -> ((ArrayNode) column(i, "mean_area").get("data"))
                        .set(2, JSON.getNodeFactory().nullNode())), "Input 'mean_area': row 2, column 'mean_area': null"),
                bad("ragged nested rows", full(t -> t.set("data", nestedWithShortRow())),
                        "Input 'input' has a list of 29 where its shape [2, 30] needs 30 (at row 1)"),
                bad("full and column tensors", full(t -> ((ArrayNode) JSON.createArrayNode()).add(1)).replace(
                        "\"inputs\":[", "\"inputs\":[{\"name\":\"mean_area\",\"shape\":[2],\"datatype\":\"FP32\","
                                + "\"data\":[1,2]},"), "send either one tensor 'input' of shape [N, 30] or one tensor"
                        + " per feature column, not both"),
                bad("missing column tensor", columns(i -> i.remove(MODEL.csvColumns().indexOf("mean_area"))),
                        "lacks column 'mean_area'"),
                bad("column tensors of different lengths", columns(i -> {
                    ObjectNode area = column(i, "mean_area");
                    ((ArrayNode) area.get("data")).remove(2);
                    area.putArray("shape").add(2);
                }), "Input 'mean_area' has 2 rows but 'mean_radius' has 3"),
                bad("repeated column tensor", columns(i -> i.add(column(i, "mean_area").deepCopy())),
                        "names column 'mean_area' twice"),
                bad("column tensor of width 2", columns(i -> column(i, "mean_area").putArray("shape").add(3).add(2)),
                        "Input 'mean_area' has shape [3, 2]; a column tensor has shape [N] or [N, 1]"),
                bad("BOOL datatype", full(t -> t.put("datatype", "BOOL")), "Input 'input' has datatype BOOL"),
                bad("data and binary data", full(t -> t.putObject("parameters").put("binary_data_size", 240)),
                        "inputs[0] has both 'data' and parameters.binary_data_size"),
                bad("no data", full(t -> t.remove("data")), "Input 'input' has no 'data'"),
                bad("no datatype", full(t -> t.remove("datatype")), "inputs[0] lacks 'datatype'"),
                bad("zero rows", full(t -> {
                    shape(t, 0, 30);
                    ((ArrayNode) t.get("data")).removeAll();
                }), "Input 'input' holds no rows"),
                bad("empty inputs", "{\"inputs\": []}", "'inputs' is empty"),
                bad("no inputs", "{\"id\": \"1\"}", "has no 'inputs'"),
                bad("id not a string", "{\"id\": 7, \"inputs\": []}", "'id' must be a string"),
                bad("unknown output", Requests.text(Requests.inferFullTensor(MODEL, 1)
                        .set("outputs", JSON.createArrayNode().add(JSON.createObjectNode().put("name", "scores")))),
                        "Output 'scores' does not exist; the model answers label and probabilities"),
                bad("not an object", "[]", "must be a JSON object"),
                bad("malformed JSON", "{\"inputs\": [", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void infer_badRequest_answers400InOipShapeNamingWhere(String name, String body, List<String> fragments) {
        HttpResponse response = fixture.call(post(INFER, body));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.fieldNames()).toIterable().containsExactly("error");
        assertThat(error.get("error").asText()).contains(fragments);
    }

    @Test
    void infer_wrongContentType_answers400() {
        HttpResponse response = fixture.call(post(INFER, "x", Map.of("content-type", "application/octet-stream")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains("application/json");
    }

    @Test
    void infer_rowsOverTheLimit_answers400NamingTheLimit() {
        try (PredictFixture limited = new PredictFixture(new InputLimits(1))) {
            HttpResponse response = limited.call(post(INFER, text(Requests.inferFullTensor(MODEL, 2))));

            assertThat(response.status()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).contains("more than 1 rows, the limit per request");
        }
    }

    @Test
    void infer_versionAlongsideAlias_answers400() {
        HttpResponse response = fixture.call(post("/v2/models/" + BREAST_CANCER + "@challenger/versions/2/infer",
                text(Requests.inferFullTensor(MODEL, 1))));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains("already selects a version");
    }

    private static Arguments bad(String name, String body, String... fragments) {
        return Arguments.of(name, body, List.of(fragments));
    }

    private static String full(Consumer<ObjectNode> change) {
        ObjectNode request = Requests.inferFullTensor(MODEL, 2);
        change.accept((ObjectNode) request.get("inputs").get(0));
        return text(request);
    }

    private static String columns(Consumer<ArrayNode> change) {
        ObjectNode request = Requests.inferColumnTensors(MODEL, 3);
        change.accept((ArrayNode) request.get("inputs"));
        return text(request);
    }

    private static ObjectNode column(ArrayNode inputs, String name) {
        return (ObjectNode) inputs.get(MODEL.csvColumns().indexOf(name));
    }

    private static void shape(ObjectNode tensor, int rows, int columns) {
        tensor.putArray("shape").add(rows).add(columns);
    }

    private static ArrayNode nestedWithShortRow() {
        ArrayNode rows = Requests.rowsInCardOrder(MODEL, 2);
        ((ArrayNode) rows.get(1)).remove(0);
        return rows;
    }
}
