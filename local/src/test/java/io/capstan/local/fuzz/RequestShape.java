package io.capstan.local.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.Route;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A route's request put together from its catalog template: the path with its parameters encoded, the fields in the
 * query string (GET) or as a JSON body. A field may carry a marker that {@link #body(ObjectNode)} swaps for raw bytes
 * (invalid UTF-8, escapes Jackson would not write) after serializing.
 */
final class RequestShape {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    /** Stands in a serialized body for {@link #rawBytes}, inside a JSON string. */
    static final String MARKER = "FUZZ-RAW-7f3a";
    /** A string value that stands in a serialized body for {@link #rawValue}, quotes included: a whole JSON value. */
    static final String VALUE_MARKER = "FUZZ-VALUE-9c1e";

    final Route route;
    final Map<String, String> pathValues;
    final ObjectNode fields;
    byte[] rawBytes = new byte[0];
    byte[] rawValue = new byte[0];

    RequestShape(Route route, Map<String, String> pathValues, ObjectNode fields) {
        this.route = route;
        this.pathValues = pathValues;
        this.fields = fields;
    }

    /** The template with its placeholders replaced. */
    static RequestShape of(Route route, FuzzCatalog.Template template, Map<String, String> placeholders) {
        try {
            ObjectNode fields = (ObjectNode) JSON.readTree(substitute(template.fields(), placeholders));
            Map<String, String> path = new LinkedHashMap<>();
            template.path().forEach((k, v) -> path.put(k, substitute(v, placeholders)));
            return new RequestShape(route, path, fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catalog template of " + route.operation() + " is not JSON", e);
        }
    }

    boolean queryFields() {
        return route.method().equals("GET");
    }

    boolean rawUpload() {
        return route.operation().equals("UploadArtifact");
    }

    /** The path with each parameter's value percent-encoded; {@code override} replaces one parameter's encoded value. */
    String path(String parameter, String encodedOverride) {
        StringBuilder path = new StringBuilder();
        for (String segment : route.pathTemplate().substring(1).split("/")) {
            path.append('/');
            if (segment.startsWith("{")) {
                boolean greedy = segment.endsWith("+}");
                String name = segment.substring(1, segment.length() - (greedy ? 2 : 1));
                if (name.equals(parameter)) {
                    path.append(encodedOverride);
                } else {
                    String value = pathValues.getOrDefault(name, "1");
                    path.append(greedy ? encodeSegments(value) : encode(value));
                }
            } else {
                path.append(segment);
            }
        }
        return path.toString();
    }

    /** The names of the route's path parameters. */
    List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        for (String segment : route.pathTemplate().split("/")) {
            if (segment.startsWith("{")) {
                names.add(segment.substring(1, segment.length() - (segment.endsWith("+}") ? 2 : 1)));
            }
        }
        return names;
    }

    /** The query string of {@code query} (arrays repeat the parameter), encoded; "" when empty. */
    static String query(ObjectNode query) {
        StringJoiner joined = new StringJoiner("&");
        query.fields().forEachRemaining(e -> {
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> joined.add(encode(e.getKey()) + "=" + encode(text(v))));
            } else if (!e.getValue().isNull()) {
                joined.add(encode(e.getKey()) + "=" + encode(text(e.getValue())));
            }
        });
        return joined.toString();
    }

    /**
     * {@code body} as JSON, with {@link #MARKER} (inside a JSON string) replaced by {@link #rawBytes} and the string
     * {@link #VALUE_MARKER} by {@link #rawValue}.
     */
    byte[] body(ObjectNode body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        byte[] valueMarker = ("\"" + VALUE_MARKER + "\"").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        for (int i = 0; i < json.length; i++) {
            if (matches(json, i, marker)) {
                out.writeBytes(rawBytes);
                i += marker.length - 1;
            } else if (matches(json, i, valueMarker)) {
                out.writeBytes(rawValue);
                i += valueMarker.length - 1;
            } else {
                out.write(json[i]);
            }
        }
        return out.toByteArray();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String encodeSegments(String value) {
        StringJoiner joined = new StringJoiner("/");
        for (String segment : value.split("/", -1)) {
            joined.add(encode(segment));
        }
        return joined.toString();
    }

    static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private static boolean matches(byte[] bytes, int at, byte[] marker) {
        if (at + marker.length > bytes.length) {
            return false;
        }
        for (int k = 0; k < marker.length; k++) {
            if (bytes[at + k] != marker[k]) {
                return false;
            }
        }
        return true;
    }

    private static String substitute(String text, Map<String, String> placeholders) {
        String result = text;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            result = result.replace("${" + p.getKey() + "}", p.getValue());
        }
        return result;
    }
}
