package io.capstan.predict.function;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static io.capstan.predict.testutils.PredictFixture.IRIS;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.get;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static io.capstan.predict.testutils.Requests.text;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol v2: both request shapes, outputs, metadata, readiness and health. */
class OipInferTest {
    private static final String INFER = "/v2/models/" + BREAST_CANCER + "/infer";
    private static final int ROWS = 25;
    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();
    private static final TrainedModel breastCancer = TrainedModels.breastCancer();

    @Test
    void infer_fullTensor_answersLabelsAndProbabilitiesMatchingOnnxRuntime() {
        HttpResponse response = fixture.call(post(INFER, text(Requests.inferFullTensor(breastCancer, ROWS))));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("model_name").asText()).isEqualTo(BREAST_CANCER);
        assertThat(body.get("model_version").asText()).isEqualTo("1");
        assertThat(body.get("id").asText()).isEqualTo("request-1");
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
        JsonNode label = body.get("outputs").get(0);
        JsonNode probabilities = body.get("outputs").get(1);
        assertThat(label.get("name").asText()).isEqualTo("label");
        assertThat(label.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(text(label.get("shape"))).isEqualTo("[" + ROWS + "]");
        assertThat(probabilities.get("name").asText()).isEqualTo("probabilities");
        assertThat(probabilities.get("datatype").asText()).isEqualTo("FP32");
        assertThat(text(probabilities.get("shape"))).isEqualTo("[" + ROWS + ",2]");
        float[][] ort = OrtReference.probabilities(breastCancer, ROWS);
        List<String> labels = breastCancer.card().outputLabels();
        for (int r = 0; r < ROWS; r++) {
            for (int l = 0; l < 2; l++) {
                assertThat(probabilities.get("data").get(r * 2 + l).doubleValue()).isCloseTo(ort[r][l], within(1e-6));
            }
            assertThat(label.get("data").get(r).asText()).isEqualTo(labels.get(ort[r][1] > ort[r][0] ? 1 : 0));
        }
    }

    @Test
    void infer_everyRequestShape_answersTheSameOutputs() {
        JsonNode expected = outputs(Requests.inferFullTensor(breastCancer, ROWS));
        ObjectNode nested = Requests.inferFullTensor(breastCancer, ROWS);
        ((ObjectNode) nested.get("inputs").get(0)).set("data", Requests.rowsInCardOrder(breastCancer, ROWS));
        ObjectNode dataFirst = JSON.createObjectNode();
        JsonNode tensor = nested.get("inputs").get(0);
        dataFirst.putArray("inputs").addObject().setAll(JSON.createObjectNode()
                .<ObjectNode>set("data", tensor.get("data"))
                .put("datatype", "FP64").put("name", tensor.get("name").asText())
                .<ObjectNode>set("shape", tensor.get("shape")));
        ObjectNode shuffledColumns = Requests.inferColumnTensors(breastCancer, ROWS);
        List<JsonNode> tensors = new ArrayList<>();
        shuffledColumns.get("inputs").forEach(tensors::add);
        Collections.shuffle(tensors, new Random(7));
        ((ArrayNode) shuffledColumns.get("inputs")).removeAll().addAll(tensors);
        ObjectNode nestedColumns = Requests.inferColumnTensors(breastCancer, ROWS);
        for (JsonNode column : nestedColumns.get("inputs")) {
            ArrayNode rows = JSON.createArrayNode();
            column.get("data").forEach(value -> rows.addArray().add(value));
            ((ObjectNode) column).set("data", rows);
            ((ObjectNode) column).putArray("shape").add(ROWS).add(1);
        }
        ObjectNode stringColumns = Requests.inferColumnTensors(breastCancer, ROWS);
        for (JsonNode column : stringColumns.get("inputs")) {
            ArrayNode strings = JSON.createArrayNode();
            column.get("data").forEach(value -> strings.add(Float.toString(value.floatValue())));
            ((ObjectNode) column).set("data", strings);
            ((ObjectNode) column).put("datatype", "BYTES");
        }

        for (ObjectNode request : List.of(nested, dataFirst, shuffledColumns, nestedColumns, stringColumns)) {
            assertThat(outputs(request)).as(text(request).substring(0, 60)).isEqualTo(expected);
        }
    }

    @Test
    void infer_requestedOutput_answersOnlyThatOutput() {
        ObjectNode request = Requests.inferFullTensor(breastCancer, 2);
        request.putArray("outputs").addObject().put("name", "probabilities");

        JsonNode outputs = outputs(request);

        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).get("name").asText()).isEqualTo("probabilities");
    }

    @Test
    void infer_versionPathAndAlias_servedByThoseVersions() {
        String body = text(Requests.inferFullTensor(breastCancer, 1));

        HttpResponse pinned = fixture.call(post("/v2/models/" + BREAST_CANCER + "/versions/2/infer", body));
        HttpResponse alias = fixture.call(post("/v2/models/" + BREAST_CANCER + "@challenger/infer", body));

        assertThat(json(pinned).get("model_version").asText()).isEqualTo("2");
        assertThat(alias.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "2");
    }

    @Test
    void infer_threeClassModel_answersShapeNByThree() {
        JsonNode outputs = outputs(Requests.inferFullTensor(TrainedModels.iris(), 4), IRIS);

        assertThat(text(outputs.get(1).get("shape"))).isEqualTo("[4,3]");
    }

    @Test
    void modelMetadata_describesTensorsAndColumns() {
        HttpResponse response = fixture.call(get("/v2/models/" + BREAST_CANCER));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("name").asText()).isEqualTo(BREAST_CANCER);
        assertThat(text(body.get("versions"))).isEqualTo("[\"1\"]");
        assertThat(body.get("platform").asText()).isEqualTo("onnxruntime");
        assertThat(text(body.get("inputs"))).isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,30]}]");
        assertThat(text(body.get("outputs"))).isEqualTo("[{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
        assertThat(body.at("/parameters/feature_columns")).hasSize(30);
        assertThat(body.at("/parameters/sha256").asText()).isEqualTo(breastCancer.sha256());
    }

    @Test
    void modelMetadata_versionPath_namesThatVersion() {
        HttpResponse response = fixture.call(get("/v2/models/" + BREAST_CANCER + "/versions/2"));

        assertThat(text(json(response).get("versions"))).isEqualTo("[\"2\"]");
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "2");
    }

    @Test
    void modelReady_existingModel_answersReady() {
        HttpResponse response = fixture.call(get("/v2/models/" + IRIS + "/ready"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("ready").asBoolean()).isTrue();
        assertThat(json(response).get("model_version").asText()).isEqualTo("1");
        assertThat(response.headers()).containsEntry(PredictFunction.MODEL_VERSION_HEADER, "1");
    }

    @Test
    void modelReady_unknownModel_answers404InOipShape() {
        HttpResponse response = fixture.call(get("/v2/models/nope/versions/3/ready"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).fieldNames()).toIterable().containsExactly("error");
    }

    @Test
    void serverEndpoints_answerLiveReadyAndMetadata() {
        assertThat(json(fixture.call(get("/v2/health/live"))).get("live").asBoolean()).isTrue();
        assertThat(json(fixture.call(get("/v2/health/ready"))).get("ready").asBoolean()).isTrue();
        JsonNode metadata = json(fixture.call(get("/v2")));
        assertThat(metadata.get("name").asText()).isEqualTo("capstan-predict");
        assertThat(metadata.get("extensions").isArray()).isTrue();
    }

    private static JsonNode outputs(ObjectNode request) {
        return outputs(request, BREAST_CANCER);
    }

    private static JsonNode outputs(ObjectNode request, String model) {
        HttpResponse response = fixture.call(post("/v2/models/" + model + "/infer", text(request)));
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return json(response).get("outputs");
    }
}
