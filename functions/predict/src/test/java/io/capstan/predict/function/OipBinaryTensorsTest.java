package io.capstan.predict.function;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static io.capstan.predict.testutils.Requests.JSON;
import static io.capstan.predict.testutils.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol's binary data extension as tritonclient.http and KServe's client write it (the JSON's
 * length in Inference-Header-Content-Length, each binary tensor's bytes after the JSON in input order, little-endian,
 * BYTES elements length-prefixed): the answers equal the same request's in JSON, on the tabular path (one [N, F]
 * tensor copied in bulk, column tensors of another type converted, the id column as BYTES) and on the tensor path;
 * outputs asked for as binary come back as bytes after the response's JSON and decode to the JSON answer's values;
 * every inconsistency is a 400 naming the tensor.
 */
class OipBinaryTensorsTest {
    private static final String INFER = "/v2/models/" + BREAST_CANCER + "/infer";
    private static final int ROWS = 40;
    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();
    @AutoClose
    private static final ConvertedModelsFixture converted = new ConvertedModelsFixture();
    private static final TrainedModel breastCancer = TrainedModels.breastCancer();

    @Test
    void aFullTensorInBinary_answersAsItsJson_andBinaryOutputsDecodeToTheJsonAnswer() throws Exception {
        ObjectNode json = Requests.inferFullTensor(breastCancer, ROWS);
        JsonNode expected = Requests.json(Requests.ok(fixture.call(Requests.post(INFER, text(json)))));

        HttpResponse response = fixture.call(Requests.binaryInfer(INFER, json, true));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "application/octet-stream");
        int jsonLength = Integer.parseInt(response.headers().get("Inference-Header-Content-Length"));
        JsonNode answer = JSON.readTree(Arrays.copyOf(response.body(), jsonLength));
        ByteBuffer data = ByteBuffer.wrap(response.body(), jsonLength, response.body().length - jsonLength).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonNode label = answer.at("/outputs/0");
        JsonNode probabilities = answer.at("/outputs/1");
        assertThat(label.has("data")).isFalse();
        int labelBytes = label.at("/parameters/binary_data_size").asInt();
        List<String> labels = strings(data.slice(0, labelBytes).order(ByteOrder.LITTLE_ENDIAN), ROWS);
        assertThat(labels).containsExactlyElementsOf(texts(expected.at("/outputs/0/data")));
        assertThat(probabilities.at("/parameters/binary_data_size").asInt()).isEqualTo(ROWS * 2 * 4)
                .isEqualTo(data.capacity() - labelBytes);
        for (int i = 0; i < ROWS * 2; i++) {
            assertThat(data.getFloat(labelBytes + i * 4)).isEqualTo(expected.at("/outputs/1/data/" + i).floatValue());
        }
        assertThat(answer.get("id").asText()).isEqualTo("request-1");
    }

    @Test
    void columnTensorsAsFp64_andAnIdColumnAsBytes_answerAsTheirJson_inJsonWhenNoBinaryOutputIsAsked() {
        ObjectNode json = Requests.inferColumnTensors(breastCancer, ROWS);
        ObjectNode idTensor = ((ArrayNode) json.get("inputs")).addObject().put("name", "customer")
                .put("datatype", "BYTES");
        idTensor.putArray("shape").add(ROWS);
        ArrayNode idData = idTensor.putArray("data");
        for (int r = 0; r < ROWS; r++) {
            idData.add("c-" + r);
        }
        Map<String, String> idHeader = Map.of(PredictionIds.ID_COLUMN_HEADER, "customer");
        JsonNode expected = Requests.json(Requests.ok(fixture.call(Requests.post(INFER, text(json),
                Map.of("content-type", "application/json", PredictionIds.ID_COLUMN_HEADER, "customer")))));

        ObjectNode header = json.deepCopy();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (JsonNode input : header.get("inputs")) {
            ObjectNode tensor = (ObjectNode) input;
            JsonNode data = tensor.remove("data");
            byte[] encoded;
            if (tensor.get("datatype").asText().equals("BYTES")) {
                encoded = bytesElements(texts(data));
            } else {
                tensor.put("datatype", "FP64");
                double[] values = new double[data.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = data.get(i).floatValue();
                }
                ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asDoubleBuffer().put(values);
                encoded = buffer.array();
            }
            tensor.putObject("parameters").put("binary_data_size", encoded.length);
            bytes.writeBytes(encoded);
        }
        HttpResponse response = fixture.call(Requests.binaryInfer(INFER, header, idHeader, bytes.toByteArray()));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.headers()).doesNotContainKey("Inference-Header-Content-Length");
        JsonNode answer = Requests.json(response);
        assertThat(answer.get("outputs")).isEqualTo(expected.get("outputs"));
        assertThat(answer.at("/parameters/prediction_ids")).isEqualTo(expected.at("/parameters/prediction_ids"));
        assertThat(answer.at("/parameters/prediction_ids/3").asText()).isEqualTo("c-3");
    }

    @Test
    void theTensorPath_takesBinaryInputs_andAnswersABinaryOutputAskedByName() throws Exception {
        String infer = "/v2/models/" + ConvertedModelsFixture.TORCH_IMAGE + "/infer";
        float[] image = new float[64];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 9) / 8f;
        }
        ObjectNode json = JSON.createObjectNode();
        ObjectNode tensor = json.putArray("inputs").addObject().put("name", "image").put("datatype", "FP32");
        tensor.putArray("shape").add(1).add(1).add(8).add(8);
        ArrayNode data = tensor.putArray("data");
        for (float value : image) {
            data.add(value);
        }
        JsonNode expected = Requests.json(Requests.ok(converted.call(Requests.post(infer, text(json)))));
        String output = expected.at("/outputs/0/name").asText();

        ObjectNode header = json.deepCopy();
        ObjectNode binaryTensor = (ObjectNode) header.get("inputs").get(0);
        binaryTensor.remove("data");
        binaryTensor.putObject("parameters").put("binary_data_size", 256);
        header.putArray("outputs").addObject().put("name", output).putObject("parameters").put("binary_data", true);
        HttpResponse response = converted.call(Requests.binaryInfer(infer, header, Map.of(), le(image)));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        int jsonLength = Integer.parseInt(response.headers().get("Inference-Header-Content-Length"));
        JsonNode answer = JSON.readTree(Arrays.copyOf(response.body(), jsonLength));
        assertThat(answer.at("/outputs/0/shape")).isEqualTo(expected.at("/outputs/0/shape"));
        ByteBuffer out = ByteBuffer.wrap(response.body(), jsonLength, response.body().length - jsonLength).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonNode values = expected.at("/outputs/0/data");
        assertThat(out.capacity()).isEqualTo(values.size() * 4)
                .isEqualTo(answer.at("/outputs/0/parameters/binary_data_size").asInt());
        for (int i = 0; i < values.size(); i++) {
            assertThat(out.getFloat(i * 4)).isEqualTo(values.get(i).floatValue());
        }
    }

    @Test
    void uint64Elements_areReadUnsigned_andAnOutputMaySayNoToBinaryOutputs() throws Exception {
        ObjectNode json = Requests.inferFullTensor(breastCancer, 1);
        ObjectNode tensor = (ObjectNode) json.get("inputs").get(0);
        tensor.put("datatype", "UINT64");
        ArrayNode values = tensor.putArray("data");
        for (int c = 0; c < 30; c++) {
            values.add(c == 0 ? new java.math.BigInteger("9223372036854775809") : java.math.BigInteger.ONE);
        }
        json.putObject("parameters").put("binary_data_output", true);
        json.putArray("outputs").addObject().put("name", "probabilities").putObject("parameters")
                .put("binary_data", false);
        JsonNode expected = Requests.json(Requests.ok(fixture.call(Requests.post(INFER, text(json)))));

        ObjectNode header = json.deepCopy();
        ObjectNode binaryTensor = (ObjectNode) header.get("inputs").get(0);
        binaryTensor.remove("data");
        binaryTensor.putObject("parameters").put("binary_data_size", 240);
        ByteBuffer data = ByteBuffer.allocate(240).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(0x8000000000000001L);
        for (int c = 1; c < 30; c++) {
            data.putLong(1);
        }
        HttpResponse response = fixture.call(Requests.binaryInfer(INFER, header, Map.of(), data.array()));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.headers()).as("the one output asked for said no to binary")
                .doesNotContainKey("Inference-Header-Content-Length");
        assertThat(Requests.json(response).get("outputs")).isEqualTo(expected.get("outputs"));
    }

    @Test
    void inconsistentBinaryRequests_areRefused_namingTheTensorOrTheHeader() {
        ObjectNode header = Requests.inferFullTensor(breastCancer, 2);
        ObjectNode tensor = (ObjectNode) header.get("inputs").get(0);
        float[] values = floats(tensor.remove("data"));
        tensor.putObject("parameters").put("binary_data_size", values.length * 4);
        byte[] data = le(values);

        assertRefused(Requests.binaryInfer(INFER, header, Map.of(), Arrays.copyOf(data, data.length - 4)),
                "Input 'input' has binary_data_size 240 but only 236 bytes of binary data are left");
        assertRefused(Requests.binaryInfer(INFER, header, Map.of(), Arrays.copyOf(data, data.length + 3)),
                "The body holds 3 bytes after the tensors' binary data");
        tensor.putObject("parameters").put("binary_data_size", 200);
        assertRefused(Requests.binaryInfer(INFER, header, Map.of(), data), "Input 'input' has binary_data_size 200; its"
                + " shape and datatype need 240 bytes.");
        tensor.putObject("parameters").put("binary_data_size", 240);
        values[31] = Float.NaN;
        assertRefused(Requests.binaryInfer(INFER, header, Map.of(), le(values)), "row 1", "NaN is not accepted");
        values[31] = 0f;
        byte[] body = Requests.binaryInfer(INFER, header, Map.of(), data).body();
        assertRefused(Requests.binaryInfer(INFER, header, Map.of("inference-header-content-length",
                Integer.toString(body.length + 1)), data), "Inference-Header-Content-Length is '" + (body.length + 1)
                + "'");
        assertRefused(new HttpRequest("POST", INFER, Map.of(), Map.of("content-type", "application/octet-stream"),
                body, "test"), "Content-Type 'application/octet-stream' is not supported");
        assertRefused(Requests.binaryInfer(INFER, header, Map.of(), new byte[0]),
                "Input 'input' has binary_data_size 240 but only 0 bytes of binary data are left");
        ObjectNode withIds = header.deepCopy();
        withIds.withArray("inputs").addObject().put("name", "cust").put("datatype", "INT128")
                .putObject("parameters").put("binary_data_size", 0);
        ((ObjectNode) withIds.get("inputs").get(1)).putArray("shape").add(2);
        assertRefused(Requests.binaryInfer(INFER, withIds, Map.of(PredictionIds.ID_COLUMN_HEADER, "cust"), le(values)),
                "The id column 'cust' has datatype INT128");
    }

    private static void assertRefused(HttpRequest request, String... fragments) {
        HttpResponse response = fixture.call(request);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(response.bodyAsString()).contains(fragments);
    }

    private static float[] floats(JsonNode data) {
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i).floatValue();
        }
        return values;
    }

    private static byte[] le(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static byte[] bytesElements(List<String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    private static List<String> strings(ByteBuffer data, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] utf8 = new byte[data.getInt()];
            data.get(utf8);
            values.add(new String(utf8, StandardCharsets.UTF_8));
        }
        assertThat(data.hasRemaining()).isFalse();
        return values;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
