package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.http.HttpRequest;
import io.capstan.model.ModelCard;
import io.capstan.predict.ModelReference;
import io.capstan.predict.input.PredictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The synthetic one-row requests (all features 0) that {@link PredictFunction#prime()} runs. */
final class PrimingRequests {
    private PrimingRequests() {
    }

    static HttpRequest zeroRow(String operation, ModelReference reference, ModelCard card) {
        boolean mlflow = operation.equals(PredictOperations.INVOCATIONS);
        String path = mlflow ? "/models/" + reference.toPathSegment() + "/invocations"
                : "/v2/models/" + reference.toPathSegment() + "/infer";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = PredictJson.FACTORY.createGenerator(body)) {
            json.writeStartObject();
            if (mlflow) {
                json.writeObjectFieldStart("dataframe_split");
                json.writeArrayFieldStart("columns");
                for (String feature : card.features()) {
                    json.writeString(feature);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("data");
                json.writeStartArray();
                writeZeros(json, card.features().size());
                json.writeEndArray();
                json.writeEndArray();
                json.writeEndObject();
            } else {
                json.writeStringField("id", "prime");
                json.writeArrayFieldStart("inputs");
                json.writeStartObject();
                json.writeStringField("name", card.inputTensor());
                json.writeArrayFieldStart("shape");
                json.writeNumber(1);
                json.writeNumber(card.features().size());
                json.writeEndArray();
                json.writeStringField("datatype", "FP32");
                json.writeArrayFieldStart("data");
                writeZeros(json, card.features().size());
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return new HttpRequest("POST", path, Map.of(), Map.of("content-type", "application/json"), body.toByteArray(),
                "prime");
    }

    private static void writeZeros(JsonGenerator json, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            json.writeNumber(0);
        }
    }
}
