package io.capstan.predict.function;

import static io.capstan.predict.testutils.ConvertedModelsFixture.IRIS;
import static io.capstan.predict.testutils.ConvertedModelsFixture.MIXED;
import static io.capstan.predict.testutils.ConvertedModelsFixture.TORCH_IMAGE;
import static io.capstan.predict.testutils.ConvertedModelsFixture.TORCH_TWO;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.HttpResponse;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.Requests;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests to converted models, on both protocols and both paths: each answers 400 (or 413 beyond the value limit)
 * in its protocol's error shape, naming what is wrong, and never 5xx.
 */
class TensorBadInputTest {
    private static final String MIXED_ROW = "[9.07, 53.7, \"red\"]";
    private static final String TWO_ROWS_OF_4 = "[[1, 2, 3, 4], [5, 6, 7, 8]]";
    @AutoClose
    private static final ConvertedModelsFixture fixture = new ConvertedModelsFixture();

    static Stream<Arguments> badInvocations() {
        return Stream.of(
                bad(MIXED, "missing column", "{\"dataframe_split\": {\"columns\": [\"size\", \"weight\"], \"data\":"
                        + " [[9.07, 53.7]]}}", "Model is missing inputs ['color']."),
                bad(MIXED, "text in a double column", "{\"dataframe_records\": [{\"size\": \"big\", \"weight\": 53.7,"
                        + " \"color\": \"red\"}]}", "Failed to convert column size to type 'double'. Error: 'could"
                        + " not convert string to float: \"big\"'"),
                bad(MIXED, "null in a string column", "{\"dataframe_records\": [{\"size\": 9.07, \"weight\": 53.7,"
                        + " \"color\": null}]}", "Input 'color' takes string values: null at row 0 is not a string."),
                bad(MIXED, "rows of different lengths", "{\"dataframe_split\": {\"columns\": [\"size\", \"weight\","
                        + " \"color\"], \"data\": [" + MIXED_ROW + ", [1.0, 2.0]]}}", "dataframe_split.data[1] has 2"
                        + " values but row 0 has 3"),
                bad(TORCH_TWO, "wrong shape", "{\"inputs\": {\"numeric\": [[1, 2, 3, 4, 5]], \"extra\": [[1, 2]]}}",
                        "Shape of input numeric [1, 5] does not match expected shape [-1, 4]."),
                bad(TORCH_TWO, "missing input", "{\"inputs\": {\"numeric\": " + TWO_ROWS_OF_4 + "}}",
                        "Model is missing inputs ['extra']."),
                bad(TORCH_TWO, "text in a float32 tensor", "{\"inputs\": {\"numeric\": [[1, 2, 3, \"x\"]], \"extra\":"
                        + " [[1, 2]]}}", "Failed to convert input numeric to type 'float32'"),
                bad(TORCH_TWO, "one array for two inputs", "{\"inputs\": " + TWO_ROWS_OF_4 + "}",
                        "tensor-based model signature with input names"),
                bad(TORCH_TWO, "ragged array", "{\"inputs\": {\"numeric\": [[1, 2, 3, 4], [5, 6]], \"extra\": [[1, 2],"
                        + " [3, 4]]}}", "inputs.numeric is not a rectangular array"),
                bad(TORCH_IMAGE, "wrong rank", "{\"inputs\": " + TWO_ROWS_OF_4 + "}",
                        "Input 'image' has shape [2, 4] but the model takes [-1, 1, 8, 8] (-1: any size)."),
                bad(TORCH_IMAGE, "unknown input", "{\"inputs\": {\"image\": [[[[0]]]], \"mask\": [1]}}",
                        "The model has no input 'mask'; it takes [image]."),
                bad(TORCH_IMAGE, "text in a float image", "{\"inputs\": [[[" + "[0, 0, 0, 0, 0, 0, 0, \"x\"], "
                        .repeat(7) + "[0, 0, 0, 0, 0, 0, 0, 0]]]]}", "Input 'image' takes float values: \"x\" at row 0"
                        + " (element 7) is not a number."),
                bad(IRIS, "missing column on the tabular path", "{\"dataframe_records\": [{\"sepal_length\": 5.1,"
                        + " \"sepal_width\": 3.5, \"petal_length\": 1.4}]}", "dataframe_records: row 0 lacks column"
                        + " 'petal_width'"),
                bad(IRIS, "two formats", "{\"inputs\": " + TWO_ROWS_OF_4 + ", \"instances\": " + TWO_ROWS_OF_4 + "}",
                        "has both 'inputs' and 'instances'"),
                bad(TORCH_TWO, "no format", "{\"rows\": [1]}", "The request body has none of dataframe_split,"
                        + " dataframe_records, instances, inputs"),
                bad(TORCH_TWO, "not JSON", "{\"inputs\": [1, 2", "The request body is not valid JSON"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInvocations")
    void invocations_badRequest_answers400NamingWhatIsWrong(String model, String what, String body, String message) {
        HttpResponse response = fixture.call(post("/models/" + model + "/invocations", body));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isIn("INVALID_PARAMETER_VALUE", "MALFORMED_REQUEST");
        assertThat(json(response).get("message").asText()).contains(message);
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    static Stream<Arguments> badInfers() {
        return Stream.of(
                bad(TORCH_TWO, "missing input", "{\"inputs\": [" + tensor("numeric", "[2, 4]", "FP32",
                        TWO_ROWS_OF_4) + "]}", "The request lacks input 'extra'; the model takes [numeric, extra]."),
                bad(TORCH_TWO, "unknown input", "{\"inputs\": [" + tensor("numeric", "[2, 4]", "FP32", TWO_ROWS_OF_4)
                        + ", " + tensor("extras", "[2, 2]", "FP32", "[1, 2, 3, 4]") + "]}",
                        "The model has no input 'extras'; it takes [numeric, extra]."),
                bad(TORCH_TWO, "wrong shape", "{\"inputs\": [" + tensor("numeric", "[4, 2]", "FP32", "[1, 2, 3, 4,"
                        + " 5, 6, 7, 8]") + ", " + tensor("extra", "[4, 1]", "FP32", "[1, 2, 3, 4]") + "]}",
                        "Input 'numeric' has shape [4, 2] but the model takes [-1, 4] (-1: any size)."),
                bad(TORCH_TWO, "data short of its shape", "{\"inputs\": [" + tensor("numeric", "[2, 4]", "FP32",
                        "[1, 2, 3]") + "]}", "Input 'numeric' has 3 values; shape [2, 4] needs 8."),
                bad(TORCH_TWO, "text in FP32 data", "{\"inputs\": [" + tensor("numeric", "[1, 4]", "FP32",
                        "[1, 2, 3, \"x\"]") + "]}", "Input 'numeric' has datatype FP32 but its element 3 is \"x\","
                        + " not a number."),
                bad(TORCH_TWO, "unknown datatype", "{\"inputs\": [" + tensor("numeric", "[1, 4]", "FLOAT",
                        "[1, 2, 3, 4]") + "]}", "Input 'numeric' has datatype 'FLOAT'"),
                bad(MIXED, "number for a string input", "{\"inputs\": [" + tensor("size", "[1, 1]", "FP32", "[1]")
                        + ", " + tensor("weight", "[1, 1]", "FP32", "[1]") + ", " + tensor("color", "[1, 1]", "INT64",
                        "[3]") + "]}", "Input 'color' takes string values: 3 at row 0 is not a string."),
                bad(MIXED, "fraction for an integer type", "{\"inputs\": [" + tensor("size", "[1, 1]", "INT64",
                        "[1.5]") + "]}", "Input 'size' has datatype INT64 but its element 0 is 1.5, not an integer."),
                bad(TORCH_IMAGE, "binary data without its header", "{\"inputs\": [{\"name\": \"image\", \"shape\":"
                        + " [1, 1, 8, 8], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 256}}]}",
                        "Input 'image' sets binary_data_size but the request has no Inference-Header-Content-Length"
                        + " header"),
                bad(IRIS, "unknown output", "{\"inputs\": [" + tensor("float_input", "[1, 4]", "FP32",
                        "[1, 2, 3, 4]") + "], \"outputs\": [{\"name\": \"label\"}]}", "Output 'label' does not exist;"
                        + " the model answers output_label and output_probability."));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInfers")
    void infer_badRequest_answers400InOipShapeNamingWhatIsWrong(String model, String what, String body,
                                                                 String message) {
        HttpResponse response = fixture.call(post("/v2/models/" + model + "/infer", body));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains(message);
    }

    @Test
    void invocations_overTheValueLimit_answers413() {
        try (ConvertedModelsFixture limited = new ConvertedModelsFixture(new InputLimits(10_000, 100))) {
            String image = "[[" + ("[" + "0.5, ".repeat(7) + "0.5], ").repeat(7) + "[" + "0.5, ".repeat(7) + "0.5]]]";

            HttpResponse response = limited.call(post("/models/" + TORCH_IMAGE + "/invocations", "{\"inputs\": ["
                    + image + ", " + image + "]}"));

            assertThat(response.status()).isEqualTo(413);
            assertThat(json(response).get("error_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(json(response).get("message").asText()).contains("more than 100 values, the limit per"
                    + " request");
        }
    }

    @Test
    void infer_shapeOverTheValueLimit_answers413BeforeReadingItsData() {
        try (ConvertedModelsFixture limited = new ConvertedModelsFixture(new InputLimits(10_000, 100))) {
            HttpResponse response = limited.call(post("/v2/models/" + TORCH_IMAGE + "/infer", "{\"inputs\": ["
                    + tensor("image", "[1000000, 1, 8, 8]", "FP32", "[0]") + "]}"));

            assertThat(response.status()).isEqualTo(413);
            assertThat(json(response).get("error").asText()).contains("more than 100 values");
        }
    }

    @Test
    void anyModel_mutatedBodies_neverAnswer5xx() {
        List<String> bodies = List.of(Requests.text(fixture.iris.expected().get("invocations_request")),
                Requests.text(fixture.mixed.expected().get("invocations_request")),
                Requests.text(fixture.torchTwo.expected().get("invocations_request_instances")),
                Requests.text(fixture.torchImage.expected().get("invocations_request")),
                "{\"inputs\": [" + tensor("numeric", "[2, 4]", "FP32", TWO_ROWS_OF_4) + ", " + tensor("extra",
                        "[2, 2]", "FP32", "[[1, 2], [3, 4]]") + "]}");
        String[] models = {IRIS, MIXED, TORCH_TWO, TORCH_IMAGE, ConvertedModelsFixture.WINE,
                ConvertedModelsFixture.IRIS_STRINGS_TENSORS};
        String[] tokens = {"null", "true", "\"x\"", "1e400", "-1", "[]", "{}", "[[]]", "NaN", "1.5", "[1, [2]]",
                "99999999999999999999", "\"\""};
        Random random = new Random(11);
        Map<Integer, Integer> statuses = new TreeMap<>();

        for (int i = 0; i < 3000; i++) {
            String body = bodies.get(random.nextInt(bodies.size()));
            StringBuilder mutated = new StringBuilder(body);
            int at = random.nextInt(mutated.length());
            mutated.replace(at, Math.min(mutated.length(), at + random.nextInt(6)), tokens[random.nextInt(
                    tokens.length)]);
            String model = i % 3 == 0 ? models[random.nextInt(models.length)] : models[bodies.indexOf(body)
                    % models.length];
            String path = body.contains("datatype") ? "/v2/models/" + model + "/infer" : "/models/" + model
                    + "/invocations";
            HttpResponse response = fixture.call(post(path, mutated.toString()));
            statuses.merge(response.status(), 1, Integer::sum);
            assertThat(response.status()).as(path + " " + mutated + " -> " + response.bodyAsString())
                    .isLessThan(500);
        }

        assertThat(statuses).containsKeys(200, 400);
    }

    private static String tensor(String name, String shape, String datatype, String data) {
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"data\": "
                + data + "}";
    }

    private static Arguments bad(String model, String what, String body, String message) {
        return Arguments.of(model, what, body, message);
    }
}
