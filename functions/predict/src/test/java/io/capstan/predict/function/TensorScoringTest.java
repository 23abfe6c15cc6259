package io.capstan.predict.function;

import static io.capstan.predict.testutils.JsonAssertions.assertCloseTo;
import static io.capstan.predict.testutils.JsonAssertions.fieldNames;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.OnnxFixture;
import io.capstan.predict.testutils.Requests;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The tensor path through {@code /invocations}: models without a card answered with MLflow 2.12's pyfunc semantics,
 * checked against torch's and sklearn's own outputs and MLflow's recorded answers.
 */
class TensorScoringTest {
    @AutoClose
    private static final ConvertedModelsFixture fixture = new ConvertedModelsFixture();

    @Test
    void invocations_twoNamedInputsAsColumnarInputs_answersBothOutputsAsTorchDoes() {
        OnnxFixture torch = fixture.torchTwo;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.TORCH_TWO,
                torch.expected().get("invocations_request"));

        assertThat(fieldNames(predictions)).containsExactly("logits", "embedding");
        assertCloseTo(predictions, torch.expected().get("expected"), 1e-5);
        assertCloseTo(predictions, torch.expected().at("/invocations_response/predictions"), 1e-5);
    }

    @Test
    void invocations_twoNamedInputsAsInstanceRecords_answersTheSameTensors() {
        OnnxFixture torch = fixture.torchTwo;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.TORCH_TWO,
                torch.expected().get("invocations_request_instances"));

        assertCloseTo(predictions, torch.expected().get("expected"), 1e-5);
    }

    @Test
    void invocations_imageModelWithoutSignature_feedsTheArrayToItsOnlyInput() {
        OnnxFixture image = fixture.torchImage;

        for (String model : List.of(ConvertedModelsFixture.TORCH_IMAGE, ConvertedModelsFixture.TORCH_IMAGE_BARE)) {
            JsonNode predictions = fixture.predictions(model, image.expected().get("invocations_request"));

            assertThat(fieldNames(predictions)).as(model).containsExactly("scores");
            assertCloseTo(predictions, image.expected().get("expected"), 1e-5);
        }
    }

    @Test
    void invocations_imageAsNamedInputAndAsInstances_answersTheSameScores() {
        OnnxFixture image = fixture.torchImage;
        JsonNode images = image.expected().at("/invocations_request/inputs");
        ObjectNode named = JSON.createObjectNode();
        named.putObject("inputs").set("image", images);
        ObjectNode instances = JSON.createObjectNode();
        instances.set("instances", images);

        for (JsonNode body : List.of(named, instances)) {
            JsonNode predictions = fixture.predictions(ConvertedModelsFixture.TORCH_IMAGE, body);

            assertCloseTo(predictions, image.expected().get("expected"), 1e-5);
        }
    }

    @Test
    void invocations_perColumnStringAndFloatInputs_feedsEachColumnAsItsInputAndAnswersRecords() {
        OnnxFixture mixed = fixture.mixed;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.MIXED,
                mixed.expected().get("invocations_request"));

        JsonNode expected = mixed.expected().get("expected");
        assertThat(predictions).hasSize(mixed.rows().size());
        for (int r = 0; r < predictions.size(); r++) {
            assertThat(predictions.get(r).get("output_label").asLong()).as("row %d", r)
                    .isEqualTo(expected.get("output_label").get(r).asLong());
            for (String label : List.of("0", "1")) {
                assertThat(predictions.get(r).at("/output_probability/" + label).asDouble()).as("row %d", r)
                        .isCloseTo(expected.get("output_probability").get(r).get(label).asDouble(),
                                within(mixed.tolerance()));
            }
        }
        assertCloseTo(predictions, mixed.expected().at("/invocations_response_per_row/predictions"), 1e-6);
    }

    @Test
    void invocations_perColumnModelInEveryFormat_answersTheSameRecords() {
        OnnxFixture mixed = fixture.mixed;
        JsonNode expected = fixture.predictions(ConvertedModelsFixture.MIXED,
                mixed.expected().get("invocations_request"));
        List<String> columns = mixed.columns();
        ArrayNode records = JSON.createArrayNode();
        ObjectNode columnar = JSON.createObjectNode();
        columns.forEach(columnar::putArray);
        for (JsonNode row : mixed.rows()) {
            ObjectNode record = records.addObject();
            for (int c = 0; c < columns.size(); c++) {
                record.set(columns.get(c), row.get(c));
                ((ArrayNode) columnar.get(columns.get(c))).add(row.get(c));
            }
        }

        for (JsonNode body : List.of(Requests.object("dataframe_records", records),
                Requests.object("instances", records), Requests.object("inputs", columnar),
                Requests.object("inputs", records))) {
            assertThat(fixture.predictions(ConvertedModelsFixture.MIXED, body)).as(body.toString().substring(0, 30))
                    .isEqualTo(expected);
        }
    }

    @Test
    void invocations_tensorSignatureWithRowsAsInputs_answersTheOutputsAsMlflowDoes() {
        OnnxFixture irisStrings = fixture.irisStrings;
        ObjectNode named = JSON.createObjectNode();
        named.putObject("inputs").set("float_input", irisStrings.rows());

        for (JsonNode body : List.of(irisStrings.expected().get("invocations_request"), named)) {
            JsonNode predictions = fixture.predictions(ConvertedModelsFixture.IRIS_STRINGS_TENSORS, body);

            assertThat(predictions.get("output_label")).isEqualTo(irisStrings.expected().at("/expected/output_label"));
            assertCloseTo(predictions, irisStrings.expected().at("/invocations_response/predictions"), 1e-6);
        }
    }

    @Test
    void invocations_tensorSignatureGivenTheIrisColumns_answers400AsMlflowDoes() {
        HttpResponse response = fixture.call(post("/models/" + ConvertedModelsFixture.IRIS_STRINGS_TENSORS
                + "/invocations", Requests.text(fixture.irisStrings.expected().get("dataframe_split_request"))));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(response).get("message").asText()).isEqualTo("Model is missing inputs ['float_input'].");
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    @Test
    void invocations_tensorPath_answersWithCapstansModelFields() {
        HttpResponse response = fixture.call(post("/models/" + ConvertedModelsFixture.TORCH_TWO + "/invocations",
                Requests.text(fixture.torchTwo.expected().get("invocations_request"))));

        assertThat(fieldNames(json(response))).containsExactly("predictions", "prediction_ids", "model_name",
                "model_version");
        assertThat(json(response).get("model_name").asText()).isEqualTo(ConvertedModelsFixture.TORCH_TWO);
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }
}
