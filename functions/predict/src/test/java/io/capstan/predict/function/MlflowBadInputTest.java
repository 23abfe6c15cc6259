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

/** Every bad MLflow scoring input answers 400 in MLflow's error shape, naming the field, column and row. */
class MlflowBadInputTest {
    private static final String INVOCATIONS = "/models/" + BREAST_CANCER + "/invocations";
    private static final TrainedModel MODEL = TrainedModels.breastCancer();
    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();

    static Stream<Arguments> badBodies() {
        return Stream.of(
                bad("record lacks a column", records(r -> ((ObjectNode) r.get(2)).remove("mean_texture")),
                        "dataframe_records: row 2 lacks column 'mean_texture'"),
                bad("record has an unknown column", records(r -> ((ObjectNode) r.get(1)).put("colour", 1)),
                        "row 1 has column 'colour', which the model does not take", "mean_radius"),
                bad("record repeats a column", Requests.dataframeRecords(MODEL, 1)
                        .replace("{\"mean_radius\"", "{\"mean_radius\":1,\"mean_radius\""),
                        "row 0 names column 'mean_radius' twice"),
                bad("split lacks a column", split(s -> removeColumn(s, "worst_area")),
                        "dataframe_split.columns lacks column 'worst_area' (every row needs it)"),
                bad("split has an unknown column", split(s -> ((ArrayNode) s.get("columns")).set(3, "colour")),
                        "has column 'colour', which the model does not take"),
                bad("split repeats a column", split(s -> ((ArrayNode) s.get("columns")).set(1, "mean_radius")),
                        "names column 'mean_radius' twice"),
                bad("text in a cell", split(s -> cell(s, 1, "mean_area").textNode("abc")),
                        "dataframe_split.data: row 1, column 'mean_area': \"abc\" is not a number"),
                bad("null in a cell", split(s -> cell(s, 2, "mean_area").nullNode()),
                        "row 2, column 'mean_area': null is not accepted"),
                bad("NaN literal", splitText(s -> cell(s, 0, "mean_area").numberNode(123456.5f), "123456.5", "NaN"),
                        "row 0, column 'mean_area': NaN is not accepted"),
                bad("NaN string", split(s -> cell(s, 1, "worst_radius").textNode("NaN")),
                        "row 1, column 'worst_radius': NaN is not accepted"),
                bad("-Infinity literal", splitText(s -> cell(s, 0, "mean_area").numberNode(123456.5f), "123456.5",
                        "-Infinity"), "row 0, column 'mean_area': -Infinity is not accepted"),
                bad("beyond float range", split(s -> cell(s, 2, "mean_area").numberNode(1e39)),
                        "row 2, column 'mean_area': 1.0E39 is beyond float range"),
                bad("boolean in a cell", split(s -> cell(s, 1, "mean_area").booleanNode(true)),
                        "row 1, column 'mean_area': true is not a number"),
                bad("nested list in a cell", split(s -> cell(s, 1, "mean_area").arrayNode().add(1)),
                        "row 1, column 'mean_area': a nested array is not a value"),
                bad("short row", split(s -> ((ArrayNode) s.get("data").get(1)).remove(29)),
                        "dataframe_split.data: row 1 has 29 values, not 30; it lacks column 'worst_fractal_dimension'"),
                bad("long row", split(s -> ((ArrayNode) s.get("data").get(0)).add(1)),
                        "dataframe_split.data: row 0 has more than 30 values"),
                bad("row not a list", split(s -> ((ArrayNode) s.get("data")).set(2, JSON.getNodeFactory().numberNode(1))),
                        "dataframe_split.data[2] is a number"),
                bad("columns of unequal length", columnar(c -> ((ArrayNode) c.get("mean_area")).remove(2)),
                        "inputs.mean_area has 2 values but inputs.mean_radius has 3", "row 2 lacks column 'mean_area'"),
                bad("a longer column", columnar(c -> ((ArrayNode) c.get("mean_area")).add(1)),
                        "inputs.mean_area has a value at row 3, but inputs.mean_radius has 3 rows"),
                bad("column lacking in inputs", columnar(c -> c.remove("mean_area")),
                        "inputs lacks column 'mean_area'"),
                bad("column not a list", columnar(c -> c.put("mean_area", 1)),
                        "inputs.mean_area must be a list of values, one per row"),
                bad("empty split data", split(s -> ((ArrayNode) s.get("data")).removeAll()),
                        "dataframe_split.data holds no rows"),
                bad("empty records", "{\"dataframe_records\": []}", "dataframe_records holds no rows"),
                bad("empty instances", "{\"instances\": []}", "instances holds no rows"),
                bad("scalar instance", "{\"instances\": [1, 2]}", "instances[0] is a number; each row is an object"),
                bad("split without columns", split(s -> s.remove("columns")), "dataframe_split has no 'columns'"),
                bad("split without data", split(s -> s.remove("data")), "dataframe_split has no 'data'"),
                bad("split not an object", "{\"dataframe_split\": [1]}", "dataframe_split must be an object"),
                bad("split with an unknown field", split(s -> s.put("orient", "split")),
                        "dataframe_split has field 'orient'"),
                bad("no input format", "{\"data\": [[1]]}", "has field 'data'; it must hold exactly one of"),
                bad("two input formats", Requests.dataframeRecords(MODEL, 1).replace("}]}", "}], \"inputs\": [[1]]}"),
                        "has both 'dataframe_records' and 'inputs'"),
                bad("empty object", "{}", "has none of dataframe_split, dataframe_records, instances, inputs"),
                bad("body is a list", "[1, 2]", "must be a JSON object"),
                bad("empty body", "", "must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void invocations_badBody_answers400NamingWhere(String name, String body, List<String> fragments) {
        HttpResponse response = fixture.call(post(INVOCATIONS, body));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(error.get("message").asText()).contains(fragments);
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    @Test
    void invocations_malformedJson_answersMalformedRequest() {
        HttpResponse response = fixture.call(post(INVOCATIONS, "{\"dataframe_split\": {\"columns\" [\"a\"]}}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("MALFORMED_REQUEST");
        assertThat(json(response).get("message").asText()).contains("not valid JSON at line 1");
    }

    @Test
    void invocations_csvContentType_answers400AskingForJson() {
        HttpResponse response = fixture.call(post(INVOCATIONS, "mean_radius\n1", Map.of("content-type", "text/csv")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(response).get("message").asText()).contains("'text/csv' is not supported",
                "application/json");
    }

    @Test
    void invocations_batchOverTheRowLimit_answers400NamingTheLimit() {
        try (PredictFixture limited = new PredictFixture(new InputLimits(2))) {
            HttpResponse response = limited.call(post(INVOCATIONS, Requests.dataframeSplit(MODEL, 3)));

            assertThat(response.status()).isEqualTo(400);
            assertThat(json(response).get("message").asText()).contains("more than 2 rows, the limit per request");
        }
    }

    @Test
    void invocations_badPathSegment_answers400() {
        HttpResponse response = fixture.call(post("/models/" + BREAST_CANCER + "@/invocations",
                Requests.dataframeSplit(MODEL, 1)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("names nothing after");
    }

    private static Arguments bad(String name, String body, String... fragments) {
        return Arguments.of(name, body, List.of(fragments));
    }

    private static String records(Consumer<ArrayNode> change) {
        ArrayNode records = Requests.records(MODEL, 3);
        change.accept(records);
        return Requests.wrap("dataframe_records", records);
    }

    private static String split(Consumer<ObjectNode> change) {
        ObjectNode split = (ObjectNode) read(Requests.dataframeSplit(MODEL, 3)).get("dataframe_split");
        change.accept(split);
        return Requests.wrap("dataframe_split", split);
    }

    private static String splitText(Consumer<ObjectNode> change, String marker, String replacement) {
        return split(change).replace(marker, replacement);
    }

    private static String columnar(Consumer<ObjectNode> change) {
        ObjectNode inputs = (ObjectNode) read(Requests.inputsColumnar(MODEL, 3)).get("inputs");
        change.accept(inputs);
        return Requests.wrap("inputs", inputs);
    }

    /** Sets a cell of a split's data to what {@code value} builds; returns the node factory for the builder. */
    private static CellSetter cell(ObjectNode split, int row, String column) {
        int index = MODEL.csvColumns().indexOf(column);
        return new CellSetter((ArrayNode) split.get("data").get(row), index);
    }

    private static void removeColumn(ObjectNode split, String column) {
        int index = MODEL.csvColumns().indexOf(column);
        ((ArrayNode) split.get("columns")).remove(index);
        split.get("data").forEach(row -> ((ArrayNode) row).remove(index));
    }

    private record CellSetter(ArrayNode row, int index) {
        void textNode(String text) {
            row.set(index, JSON.getNodeFactory().textNode(text));
        }

        void nullNode() {
            row.set(index, JSON.getNodeFactory().nullNode());
        }

        void numberNode(float value) {
            row.set(index, JSON.getNodeFactory().numberNode(value));
        }

        void numberNode(double value) {
            row.set(index, JSON.getNodeFactory().numberNode(value));
        }

        void booleanNode(boolean value) {
            row.set(index, JSON.getNodeFactory().booleanNode(value));
        }

        ArrayNode arrayNode() {
            ArrayNode nested = JSON.getNodeFactory().arrayNode();
            row.set(index, nested);
            return nested;
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
