package io.capstan.registry.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The event the registry function sends itself to register a version outside the request that created it:
 * {@code {"capstan_registration": {"name": "<registered model>", "version": <n>}}}.
 */
record RegistrationEvent(String name, long version) {
    static final String FIELD = "capstan_registration";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    RegistrationEvent {
        if (name == null || name.isEmpty() || version < 1) {
            throw new IllegalArgumentException("a registration event names a registered model and a version from 1, "
                    + "got " + name + "/" + version);
        }
    }

    /**
     * The registration {@code event} asks for; empty for any other event (an API Gateway request). Only the top-level
     * field names are read unless the field is there, so an API request's body is skipped, not parsed.
     *
     * @throws IllegalArgumentException when the field is there but malformed
     */
    static Optional<RegistrationEvent> from(byte[] event) {
        try (JsonParser p = FACTORY.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals(FIELD)) {
                    p.skipChildren();
                    continue;
                }
                JsonNode body = JSON.readTree(p);
                if (!body.path("name").isTextual() || !body.path("version").canConvertToLong()) {
                    throw new IllegalArgumentException("Malformed " + FIELD + " event: " + body);
                }
                return Optional.of(new RegistrationEvent(body.get("name").asText(), body.get("version").asLong()));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not JSON: an API request reader will say what is wrong with it
        }
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(Map.of(FIELD, Map.of("name", name, "version", version)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
