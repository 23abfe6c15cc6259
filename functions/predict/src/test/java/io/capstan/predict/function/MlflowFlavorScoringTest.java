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
 * The tabular path for models of MLflow's ONNX flavor, as converters write them: answers shaped as MLflow 2.12's pyfunc
 * server answers, checked against sklearn's own predictions (the fixture's tolerance) and MLflow's recorded answers.
 */
class MlflowFlavorScoringTest {
    @AutoClose
    private static final ConvertedModelsFixture fixture = new ConvertedModelsFixture();

    @Test
    void invocations_zipmapClassifier_answersMlflowRecordsWithSklearnsLabelsAndProbabilities() {
        OnnxFixture iris = fixture.iris;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.IRIS,
                iris.expected().get("invocations_request"));

        JsonNode expected = iris.expected().get("expected");
        assertThat(predictions).hasSize(iris.rows().size());
        for (int r = 0; r < predictions.size(); r++) {
            JsonNode record = predictions.get(r);
            assertThat(fieldNames(record)).containsExactly("output_label", "output_probability");
            assertThat(record.get("output_label").isIntegralNumber()).isTrue();
            assertThat(record.get("output_label").asLong()).as("row %d", r)
                    .isEqualTo(expected.get("output_label").get(r).asLong());
            JsonNode probabilities = record.get("output_probability");
            assertThat(fieldNames(probabilities)).containsExactly("0", "1", "2");
            for (String label : List.of("0", "1", "2")) {
                assertThat(probabilities.get(label).asDouble()).as("row %d label %s", r, label)
                        .isCloseTo(expected.get("output_probability").get(r).get(label).asDouble(),
                                within(iris.tolerance()));
            }
        }
        assertCloseTo(predictions, iris.expected().at("/invocations_response/predictions"), 1e-6);
    }

    @Test
    void invocations_everyFormatOfAColumnSignature_answersTheSameRecords() {
        OnnxFixture iris = fixture.iris;
        JsonNode expected = fixture.predictions(ConvertedModelsFixture.IRIS,
                iris.expected().get("invocations_request"));
        List<String> columns = iris.columns();
        ArrayNode records = JSON.createArrayNode();
        ObjectNode columnar = JSON.createObjectNode();
        columns.forEach(columnar::putArray);
        for (JsonNode row : iris.rows()) {
            ObjectNode record = records.addObject();
            for (int c = columns.size() - 1; c >= 0; c--) {
                record.set(columns.get(c), row.get(c));
                ((ArrayNode) columnar.get(columns.get(c))).add(row.get(c));
            }
            record.put("species_note", "ignored, as MLflow drops columns the signature does not name");
        }

        ObjectNode byGraphInput = JSON.createObjectNode();
        byGraphInput.set("float_input", iris.rows());

        List<JsonNode> bodies = List.of(Requests.object("dataframe_records", records),
                Requests.object("instances", records), Requests.object("inputs", columnar),
                Requests.object("inputs", iris.rows()), Requests.object("inputs", byGraphInput));

        for (JsonNode body : bodies) {
            assertThat(fixture.predictions(ConvertedModelsFixture.IRIS, body)).as(body.toString().substring(0, 30))
                    .isEqualTo(expected);
        }
    }

    @Test
    void invocations_treeEnsembleMatrixOutput_answersEachRowsProbabilitiesAsAList() {
        OnnxFixture trees = fixture.trees;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.TREES,
                trees.expected().get("invocations_request"));

        JsonNode expected = trees.expected().get("expected");
        assertThat(predictions).hasSize(trees.rows().size());
        for (int r = 0; r < predictions.size(); r++) {
            assertThat(predictions.get(r).get("label").asLong()).as("row %d", r)
                    .isEqualTo(expected.get("label").get(r).asLong());
            JsonNode probabilities = predictions.get(r).get("probabilities");
            assertThat(probabilities.isArray()).isTrue();
            for (int c = 0; c < 2; c++) {
                assertThat(probabilities.get(c).asDouble()).as("row %d class %d", r, c)
                        .isCloseTo(expected.get("probabilities").get(r).get(c).asDouble(), within(trees.tolerance()));
            }
        }
        assertCloseTo(predictions, trees.expected().at("/invocations_response_per_row/predictions"), 1e-6);
    }

    @Test
    void invocations_regressor_answersOneValuePerRowWithinTheFixturesTolerance() {
        OnnxFixture wine = fixture.wine;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.WINE,
                wine.expected().get("invocations_request"));

        JsonNode expected = wine.expected().at("/expected/variable");
        assertThat(predictions).hasSize(expected.size());
        for (int r = 0; r < predictions.size(); r++) {
            assertThat(fieldNames(predictions.get(r))).containsExactly("variable");
            assertThat(predictions.get(r).get("variable").asDouble()).as("row %d", r)
                    .isCloseTo(expected.get(r).get(0).asDouble(), within(wine.tolerance()));
        }
        assertCloseTo(predictions, wine.expected().at("/invocations_response/predictions"), 1e-6);
    }

    @Test
    void invocations_stringLabelsAndProbabilityMatrix_answersTheLabelAndEachRowsProbabilities() {
        OnnxFixture irisStrings = fixture.irisStrings;

        JsonNode predictions = fixture.predictions(ConvertedModelsFixture.IRIS_STRINGS,
                irisStrings.expected().get("dataframe_split_request"));

        JsonNode expected = irisStrings.expected().get("expected");
        assertThat(predictions).hasSize(irisStrings.rows().size());
        for (int r = 0; r < predictions.size(); r++) {
            JsonNode record = predictions.get(r);
            assertThat(fieldNames(record)).containsExactly("output_label", "output_probability");
            assertThat(record.get("output_label").asText()).as("row %d", r)
                    .isEqualTo(expected.get("output_label").get(r).asText());
            assertCloseTo(record.get("output_probability"), expected.get("output_probability").get(r),
                    irisStrings.tolerance());
        }
    }

    @Test
    void invocations_mlflowFlavor_keepsCapstansModelFieldsAndHeader() {
        HttpResponse response = fixture.call(post("/models/" + ConvertedModelsFixture.IRIS + "/invocations",
                Requests.text(fixture.iris.expected().get("invocations_request"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("model_name").asText()).isEqualTo(ConvertedModelsFixture.IRIS);
        assertThat(json(response).get("model_version").asText()).isEqualTo("1");
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
        assertThat(json(response).get("prediction_ids")).as("one id per row, beside MLflow's predictions")
                .hasSize(json(response).get("predictions").size());
    }

    @Test
    void invocations_missingValueInAnMlflowFlavoredColumn_isScoredAsNaNAsMlflowDoes() {
        ObjectNode split = fixture.iris.expected().get("invocations_request").deepCopy();
        ArrayNode data = (ArrayNode) split.at("/dataframe_split/data");
        ((ArrayNode) data.get(0)).set(0, JSON.nullNode());

        HttpResponse response = fixture.call(post("/models/" + ConvertedModelsFixture.IRIS + "/invocations",
                Requests.text(split)));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(json(response).get("predictions")).hasSize(data.size());
    }
}
