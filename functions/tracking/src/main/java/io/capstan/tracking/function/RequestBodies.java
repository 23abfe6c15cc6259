package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.RequestFields;
import java.io.IOException;

/** What {@link RequestFields} cannot tell: whether a list field was sent at all, as MLflow's required lists need. */
final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * Whether the request carries {@code field}: in the query string for GET, else as a non-null member of the JSON
     * body. Call after {@link RequestFields#of(HttpRequest)} has accepted the body.
     */
    static boolean has(HttpRequest request, String field) {
        if (request.method().equals("GET")) {
            return request.query().containsKey(field);
        }
        if (request.body().length == 0) {
            return false;
        }
        try {
            JsonNode body = RequestFields.JSON.readTree(request.body());
            return body != null && body.hasNonNull(field);
        } catch (IOException e) {
            return false;
        }
    }
}
