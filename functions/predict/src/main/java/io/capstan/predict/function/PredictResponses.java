package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.http.HttpResponse;
import io.capstan.predict.input.BinaryTensors;
import io.capstan.predict.input.PredictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** JSON bodies written with the streaming generator, and the headers every predict response carries. */
final class PredictResponses {
    /** The header naming the model version that answered. */
    static final String MODEL_VERSION_HEADER = "X-Capstan-Model-Version";

    private PredictResponses() {
    }

    @FunctionalInterface
    interface BodyWriter {
        void write(JsonGenerator json) throws IOException;
    }

    static HttpResponse json(int status, int sizeHint, BodyWriter writer) {
        return new HttpResponse(status, Map.of("Content-Type", HttpResponse.JSON), bytes(sizeHint, writer));
    }

    /** A response from a model version, naming it in the {@value #MODEL_VERSION_HEADER} header. */
    static HttpResponse fromVersion(int status, String version, int sizeHint, BodyWriter writer) {
        return new HttpResponse(status, Map.of("Content-Type", HttpResponse.JSON, MODEL_VERSION_HEADER, version),
                bytes(sizeHint, writer));
    }

    /**
     * Scored rows from a model version: the {@value #MODEL_VERSION_HEADER} header and, for a single row, its prediction
     * id in the {@value PredictionIds#ID_HEADER} header; the headers built once, on the predict path.
     */
    static HttpResponse scored(String version, String[] ids, int sizeHint, BodyWriter writer) {
        return new HttpResponse(200, scoredHeaders(version, ids, HttpResponse.JSON), bytes(sizeHint, writer));
    }

    /**
     * Scored rows answered over the Open Inference Protocol, as the other {@code scored}; when the writer put outputs
     * into {@code binary}, the body is the JSON then their bytes, typed
     * {@code application/octet-stream} with the JSON's length in {@value BinaryTensors#HEADER}, as Triton answers.
     */
    static HttpResponse scored(String version, String[] ids, int sizeHint, BinaryOutputs binary, BodyWriter writer) {
        ByteArrayOutputStream body = written(sizeHint, writer);
        if (!binary.any()) {
            return new HttpResponse(200, scoredHeaders(version, ids, HttpResponse.JSON), body.toByteArray());
        }
        int jsonLength = body.size();
        binary.writeTo(body);
        Map<String, String> headers = new HashMap<>(scoredHeaders(version, ids, "application/octet-stream"));
        headers.put(BinaryTensors.HEADER, Integer.toString(jsonLength));
        return new HttpResponse(200, headers, body.toByteArray());
    }

    private static Map<String, String> scoredHeaders(String version, String[] ids, String contentType) {
        return ids.length == 1 ? Map.of("Content-Type", contentType, MODEL_VERSION_HEADER, version,
                PredictionIds.ID_HEADER, ids[0]) : Map.of("Content-Type", contentType, MODEL_VERSION_HEADER, version);
    }

    static HttpResponse withVersion(HttpResponse response, String version) {
        return new HttpResponse(response.status(), Map.of("Content-Type",
                response.headers().getOrDefault("Content-Type", HttpResponse.JSON), MODEL_VERSION_HEADER, version),
                response.body());
    }

    /** {@code "prediction_ids": [...]}, one per row. */
    static void writeIds(JsonGenerator json, String[] ids) throws IOException {
        json.writeArrayFieldStart("prediction_ids");
        for (String id : ids) {
            json.writeString(id);
        }
        json.writeEndArray();
    }

    private static byte[] bytes(int sizeHint, BodyWriter writer) {
        return written(sizeHint, writer).toByteArray();
    }

    private static ByteArrayOutputStream written(int sizeHint, BodyWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, sizeHint));
        try (JsonGenerator json = PredictJson.FACTORY.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out;
    }
}
