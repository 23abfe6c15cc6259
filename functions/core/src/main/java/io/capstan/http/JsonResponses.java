package io.capstan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import java.util.Map;
import java.util.TreeMap;

/** JSON responses and the one error translator: {@code {"error_code", "message"}} with the code's status. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static HttpResponse ok(JsonNode body) {
        try {
            return HttpResponse.json(200, RequestFields.JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }

    public static HttpResponse empty() {
        return HttpResponse.json(200, "{}");
    }

    public static HttpResponse error(CapstanException e) {
        ObjectNode body = RequestFields.JSON.createObjectNode()
                .put("error_code", e.errorCode().name())
                .put("message", e.getMessage());
        return HttpResponse.json(e.errorCode().httpStatus(), body.toString());
    }

    /** Writes a map as MLflow's list of {@code {"key", "value"}} objects, sorted by key; nothing when empty. */
    public static void putKeyValues(ObjectNode parent, String field, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        ArrayNode array = parent.putArray(field);
        new TreeMap<>(values).forEach((k, v) -> array.addObject().put("key", k).put("value", v));
    }
}
