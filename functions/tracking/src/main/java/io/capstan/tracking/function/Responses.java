package io.capstan.tracking.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpResponse;

/** JSON responses and the one error translator: {@code {"error_code", "message"}} with the code's status. */
final class Responses {
    private Responses() {
    }

    static HttpResponse ok(JsonNode body) {
        try {
            return HttpResponse.json(200, RequestFields.JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }

    static HttpResponse empty() {
        return HttpResponse.json(200, "{}");
    }

    static HttpResponse error(CapstanException e) {
        ObjectNode body = MlflowJson.object()
                .put("error_code", e.errorCode().name())
                .put("message", e.getMessage());
        return HttpResponse.json(e.errorCode().httpStatus(), body.toString());
    }
}
