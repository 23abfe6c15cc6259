package io.capstan.predict.function;

import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.Requests;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A model served as named tensors (torch.onnx's image classifier) gets a prediction id per element of its batch, in
 * both protocols: generated, or the caller's for a batch of one; an id column is refused, as such a request has no
 * columns.
 */
class TensorPredictionIdsTest {
    @AutoClose
    private static final ConvertedModelsFixture fixture = new ConvertedModelsFixture();

    @Test
    void eachImageOfABatch_getsAnId_inMlflowsAnswerAndInTheOpenInferenceProtocols() {
        JsonNode images = fixture.torchImage.expected().at("/invocations_request/inputs");
        int batch = images.size();
        ObjectNode infer = JSON.createObjectNode();
        ObjectNode tensor = infer.putArray("inputs").addObject().put("name", "pixels").put("datatype", "FP32");
        ArrayNode shape = tensor.putArray("shape").add(batch);
        for (JsonNode level = images.get(0); level.isArray(); level = level.get(0)) {
            shape.add(level.size());
        }
        tensor.set("data", images);

        HttpResponse mlflow = fixture.call(post("/models/" + ConvertedModelsFixture.TORCH_IMAGE + "/invocations",
                Requests.text(fixture.torchImage.expected().get("invocations_request"))));
        HttpResponse oip = fixture.call(post("/v2/models/" + ConvertedModelsFixture.TORCH_IMAGE_BARE + "/infer",
                Requests.text(infer)));

        assertThat(batch).isGreaterThan(1);
        assertThat(mlflow.status()).as(mlflow.bodyAsString()).isEqualTo(200);
        assertThat(json(mlflow).get("prediction_ids")).hasSize(batch)
                .allMatch(id -> id.asText().matches("[0-9a-f]{24}-\\d+"));
        assertThat(json(mlflow).get("predictions").has("scores")).as("MLflow's answer is unchanged").isTrue();
        assertThat(oip.status()).as(oip.bodyAsString()).isEqualTo(200);
        assertThat(json(oip).at("/parameters/prediction_ids")).hasSize(batch);
    }

    @Test
    void theCallersId_namesABatchOfOne_andAnIdColumnIsRefused() {
        JsonNode images = fixture.torchImage.expected().at("/invocations_request/inputs");
        ObjectNode one = JSON.createObjectNode();
        one.putArray("inputs").add(images.get(0));
        String path = "/models/" + ConvertedModelsFixture.TORCH_IMAGE + "/invocations";

        HttpResponse named = fixture.call(post(path, Requests.text(one), Map.of("content-type", "application/json",
                "X-Capstan-Prediction-Id", "scan-7")));
        HttpResponse column = fixture.call(post(path, Requests.text(one), Map.of("content-type", "application/json",
                "X-Capstan-Id-Column", "scan")));

        assertThat(named.status()).as(named.bodyAsString()).isEqualTo(200);
        assertThat(json(named).get("prediction_ids")).extracting(JsonNode::asText).containsExactly("scan-7");
        assertThat(named.headers()).containsEntry("X-Capstan-Prediction-Id", "scan-7");
        assertThat(column.status()).isEqualTo(400);
        assertThat(json(column).get("message").asText()).contains("takes named tensors, which have no columns");
    }
}
