package io.capstan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of an MLflow request, from the JSON body (POST, PATCH, DELETE) or the query string (GET), read with
 * MLflow's per-field checks: a missing or wrong-typed field is a 400 {@code INVALID_PARAMETER_VALUE} naming it.
 */
public final class RequestFields {
    /**
     * The mapper MLflow-style JSON is read and written with: NaN and Infinity literals allowed; numbers parsed with
     * Jackson's correctly rounding fast parser (JDK 17's took half of a 1000-metric log-batch).
     */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final ObjectNode body;
    private final Map<String, List<String>> query;
    /** Where these fields sit in the request ({@code "tags."} for an element of {@code tags}); "" at the top. */
    private final String prefix;

    private RequestFields(ObjectNode body, Map<String, List<String>> query, String prefix) {
        this.body = body;
        this.query = query;
        this.prefix = prefix;
    }

    public static RequestFields of(HttpRequest request) {
        if (request.method().equals("GET")) {
            return new RequestFields(null, request.query(), "");
        }
        if (request.method().equals("POST")) {
            request.header("Content-Type").map(type -> type.split(";")[0].trim())
                    .filter(type -> !type.equalsIgnoreCase("application/json")).ifPresent(type -> {
                        throw CapstanException.invalidParameter("Bad Request. Content-Type must be one of"
                                + " ['application/json'].");
                    });
        }
        if (request.body().length == 0) {
            return new RequestFields(JsonNodeFactory.instance.objectNode(), Map.of(), "");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(request.body());
        } catch (java.io.IOException e) {
            throw CapstanException.invalidParameter("Malformed request: the body is not valid JSON"
                    + (e instanceof JsonProcessingException j ? " (" + j.getOriginalMessage() + ")" : "") + ".");
        }
        if (parsed == null || parsed.isNull()) {
            return new RequestFields(JsonNodeFactory.instance.objectNode(), Map.of(), "");
        }
        if (!parsed.isObject()) {
            throw CapstanException.invalidParameter("Malformed request: the body must be a JSON object, got "
                    + parsed.getNodeType() + ".");
        }
        return new RequestFields((ObjectNode) parsed, Map.of(), "");
    }

    /**
     * Refuses a body field outside {@code known}, naming it and the fields taken.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE}
     */
    public void rejectUnknown(java.util.Set<String> known) {
        if (body == null) {
            return;
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw CapstanException.invalidParameter("Unknown field '" + FieldLimits.shown(prefix + name)
                        + "'; the fields are " + new java.util.TreeSet<>(known) + ".");
            }
        }
    }

    /** Wraps a nested object (an element of a list field) for typed reading. */
    public static RequestFields nested(JsonNode node, String where) {
        if (!node.isObject()) {
            throw CapstanException.invalidParameter("Invalid value " + node + " for parameter '" + where
                    + "' supplied: expected an object.");
        }
        return new RequestFields((ObjectNode) node, Map.of(), where + ".");
    }

    public String requiredString(String name) {
        return optionalString(name).filter(s -> !s.isEmpty()).orElseThrow(() -> missing(name));
    }

    /**
     * A string field; a NUL character or an unpaired surrogate in it is a 400 naming the field
     * ({@link FieldLimits#checkCharacters}), as in every text this class reads.
     */
    public Optional<String> optionalString(String name) {
        if (body == null) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(checked(name, values.get(0)));
        }
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw wrongType(name, node, "string");
        }
        return Optional.of(checked(name, node.textValue()));
    }

    /** The name of field {@code name} of these fields in the request, e.g. {@code tags.key}. */
    public String qualified(String name) {
        return prefix + name;
    }

    /** A scalar field as text, whether it came as a JSON string, number or boolean. */
    public Optional<String> optionalScalarText(String name) {
        return scalar(name).map(n -> {
            if (n.isContainerNode()) {
                throw wrongType(name, n, "string or number");
            }
            return checked(name, n.asText());
        });
    }

    public long requiredLong(String name) {
        return optionalLong(name).orElseThrow(() -> missing(name));
    }

    public Optional<Long> optionalLong(String name) {
        Optional<JsonNode> node = scalar(name);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = node.get();
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Optional.of(n.longValue());
        }
        if (n.isTextual()) {
            try {
                return Optional.of(Long.parseLong(n.textValue().trim()));
            } catch (NumberFormatException e) {
                throw wrongType(name, n, "int64");
            }
        }
        throw wrongType(name, n, "int64");
    }

    public Optional<Integer> optionalInt(String name) {
        return optionalLong(name).map(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw CapstanException.invalidParameter("Invalid value " + v + " for parameter '" + name
                        + "' supplied: out of range for int32.");
            }
            return v.intValue();
        });
    }

    /** A double, accepting JSON numbers, the NaN/Infinity literals and protobuf's "NaN"/"Infinity" strings. */
    public double requiredDouble(String name) {
        JsonNode n = scalar(name).orElseThrow(() -> missing(name));
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            String text = n.textValue().trim();
            switch (text) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw wrongType(name, n, "double");
                    }
            }
        }
        throw wrongType(name, n, "double");
    }

    public Optional<Boolean> optionalBoolean(String name) {
        return scalar(name).map(n -> {
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            if (n.isTextual() && (n.textValue().equalsIgnoreCase("true") || n.textValue().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(n.textValue());
            }
            throw wrongType(name, n, "bool");
        });
    }

    public List<String> stringList(String name) {
        if (body == null) {
            List<String> values = query.getOrDefault(name, List.of());
            values.forEach(v -> checked(name, v));
            return values;
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : array(name)) {
            if (!element.isTextual()) {
                throw wrongType(name, element, "list of strings");
            }
            result.add(checked(name, element.textValue()));
        }
        return result;
    }

    /** Elements of a list-of-objects field, each wrapped for typed reading. */
    public List<RequestFields> objectList(String name) {
        List<RequestFields> result = new ArrayList<>();
        for (JsonNode element : array(name)) {
            result.add(nested(element, name));
        }
        return result;
    }

    /** A body field as it came (any JSON value), for a caller that reads its elements itself; empty when absent. */
    public Optional<JsonNode> node(String name) {
        JsonNode node = body == null ? null : body.get(name);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    public Optional<RequestFields> object(String name) {
        if (body == null) {
            return Optional.empty();
        }
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(nested(node, name));
    }

    private List<JsonNode> array(String name) {
        if (body == null) {
            return List.of();
        }
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType(name, node, "list");
        }
        List<JsonNode> elements = new ArrayList<>(node.size());
        node.forEach(elements::add);
        return elements;
    }

    private Optional<JsonNode> scalar(String name) {
        if (body == null) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? Optional.empty()
                    : Optional.of(JsonNodeFactory.instance.textNode(values.get(0)));
        }
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    private String checked(String name, String value) {
        return FieldLimits.checkCharacters(qualified(name), value);
    }

    public static CapstanException missing(String name) {
        return CapstanException.invalidParameter("Missing value for required parameter '" + name + "'. See the"
                + " API docs for more information about request parameters.");
    }

    private static CapstanException wrongType(String name, JsonNode value, String expected) {
        String shown = value.toString();
        if (shown.length() > 100) {
            shown = shown.substring(0, 100) + "...";
        }
        return CapstanException.invalidParameter("Invalid value " + shown + " for parameter '" + name
                + "' supplied. Hint: Value was of type '" + value.getNodeType().name().toLowerCase()
                + "', expected " + expected + ". See the API docs for more information about request parameters.");
    }
}
