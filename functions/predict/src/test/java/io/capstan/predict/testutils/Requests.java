package io.capstan.predict.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Request bodies in each MLflow scoring format and OIP shape, built from a trained model's rows, and JSON reading. */
public final class Requests {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    public static HttpRequest post(String path, String body) {
        return post(path, body, Map.of("content-type", "application/json"));
    }

    public static HttpRequest post(String path, String body, Map<String, String> headers) {
        return new HttpRequest("POST", path, Map.of(), headers, body.getBytes(StandardCharsets.UTF_8), "test");
    }

    public static HttpRequest get(String path) {
        return new HttpRequest("GET", path, Map.of(), Map.of(), null, "test");
    }

    /** The response, after checking it is a 200 (its body in the failure message otherwise). */
    public static HttpResponse ok(HttpResponse response) {
        org.assertj.core.api.Assertions.assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return response;
    }

    public static JsonNode json(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.bodyAsString(), e);
        }
    }

    public static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code dataframe_split} with the CSV's column order. */
    public static String dataframeSplit(TrainedModel model, int rows) {
        ObjectNode split = JSON.createObjectNode();
        ArrayNode columns = split.putArray("columns");
        model.csvColumns().forEach(columns::add);
        ArrayNode data = split.putArray("data");
        for (int r = 0; r < rows; r++) {
            ArrayNode row = data.addArray();
            for (float value : model.rows()[r]) {
                row.add(value);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("dataframe_split", split);
        return text(body);
    }

    /** {@code dataframe_records}: one object per row, keys in CSV order. */
    public static String dataframeRecords(TrainedModel model, int rows) {
        ObjectNode body = JSON.createObjectNode();
        body.set("dataframe_records", records(model, rows));
        return text(body);
    }

    public static ArrayNode records(TrainedModel model, int rows) {
        ArrayNode records = JSON.createArrayNode();
        for (int r = 0; r < rows; r++) {
            ObjectNode record = records.addObject();
            List<String> columns = model.csvColumns();
            for (int c = 0; c < columns.size(); c++) {
                record.put(columns.get(c), model.rows()[r][c]);
            }
        }
        return records;
    }

    /** Rows as lists in the card's column order (for {@code instances} and {@code inputs} as lists). */
    public static ArrayNode rowsInCardOrder(TrainedModel model, int rows) {
        ArrayNode list = JSON.createArrayNode();
        for (int r = 0; r < rows; r++) {
            ArrayNode row = list.addArray();
            for (float value : model.rowInCardOrder(r)) {
                row.add(value);
            }
        }
        return list;
    }

    /** {@code inputs} as an object of column to list of values, columns in CSV order. */
    public static String inputsColumnar(TrainedModel model, int rows) {
        ObjectNode inputs = JSON.createObjectNode();
        List<String> columns = model.csvColumns();
        for (int c = 0; c < columns.size(); c++) {
            ArrayNode values = inputs.putArray(columns.get(c));
            for (int r = 0; r < rows; r++) {
                values.add(model.rows()[r][c]);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("inputs", inputs);
        return text(body);
    }

    public static String wrap(String field, JsonNode value) {
        return text(object(field, value));
    }

    /** An object of one field: {@code {"<field>": value}}. */
    public static ObjectNode object(String field, JsonNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.set(field, value);
        return body;
    }

    /** An OIP infer request with one {@code [rows, F]} FP32 tensor, flat, in card order. */
    public static ObjectNode inferFullTensor(TrainedModel model, int rows) {
        ObjectNode tensor = JSON.createObjectNode();
        tensor.put("name", model.card().inputTensor());
        tensor.putArray("shape").add(rows).add(model.card().features().size());
        tensor.put("datatype", "FP32");
        ArrayNode data = tensor.putArray("data");
        for (int r = 0; r < rows; r++) {
            for (float value : model.rowInCardOrder(r)) {
                data.add(value);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "request-1");
        body.putArray("inputs").add(tensor);
        return body;
    }

    /**
     * {@code json}'s FP32 tensors sent as binary data, as tritonclient.http sends numpy inputs with
     * {@code binary_data=True}: the JSON without their {@code data}, then their values little-endian, the JSON's length
     * in Inference-Header-Content-Length; with {@code binaryOutputs}, every output asked for as binary data too.
     */
    public static HttpRequest binaryInfer(String path, ObjectNode json, boolean binaryOutputs) {
        ObjectNode header = json.deepCopy();
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (JsonNode input : header.get("inputs")) {
            ObjectNode tensor = (ObjectNode) input;
            JsonNode values = tensor.remove("data");
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.size() * Float.BYTES)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            values.forEach(value -> bytes.putFloat(value.floatValue()));
            tensor.putObject("parameters").put("binary_data_size", bytes.capacity());
            data.writeBytes(bytes.array());
        }
        if (binaryOutputs) {
            header.putObject("parameters").put("binary_data_output", true);
        }
        return binaryInfer(path, header, Map.of(), data.toByteArray());
    }

    /**
     * An infer request of the JSON {@code header} followed by {@code data}, framed as tritonclient.http frames it
     * (application/octet-stream, the JSON's length in Inference-Header-Content-Length), {@code extra} headers added or
     * replacing those.
     */
    public static HttpRequest binaryInfer(String path, JsonNode header, Map<String, String> extra, byte[] data) {
        byte[] head = text(header).getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(head, head.length + data.length);
        System.arraycopy(data, 0, body, head.length, data.length);
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("content-type", "application/octet-stream");
        headers.put("inference-header-content-length", Integer.toString(head.length));
        headers.putAll(extra);
        return new HttpRequest("POST", path, Map.of(), headers, body, "test");
    }

    /** An OIP infer request with one FP32 tensor per feature column, shape {@code [rows]}, columns in CSV order. */
    public static ObjectNode inferColumnTensors(TrainedModel model, int rows) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        List<String> columns = model.csvColumns();
        for (int c = 0; c < columns.size(); c++) {
            ObjectNode tensor = inputs.addObject();
            tensor.put("name", columns.get(c));
            tensor.putArray("shape").add(rows);
            tensor.put("datatype", "FP32");
            ArrayNode data = tensor.putArray("data");
            for (int r = 0; r < rows; r++) {
                data.add(model.rows()[r][c]);
            }
        }
        return body;
    }
}
