package io.capstan.local.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every mutation of one route's request: malformed JSON, a wrong Content-Type, and for each field the handler reads
 * (nested ones included) a missing value, null, wrong types, oversized values (1 MB strings, numbers beyond int64,
 * 20,000-element lists, nesting 5,000 deep), a NUL character, an unpaired surrogate and invalid UTF-8; GET routes get
 * the same through the query string, with bad percent escapes; and each path parameter huge, {@code ..}, {@code %00},
 * a bad escape, invalid UTF-8, an encoded slash or empty.
 */
final class Mutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int MEGABYTE = 1 << 20;
    private static final String QUERY_HUGE = "q".repeat(200_000);

    private final RequestShape shape;
    private final List<FuzzCase> cases = new ArrayList<>();

    private Mutations(RequestShape shape) {
        this.shape = shape;
    }

    static List<FuzzCase> of(RequestShape shape, boolean extraField) {
        Mutations m = new Mutations(shape);
        if (shape.rawUpload()) {
            m.uploadBodies();
        } else if (shape.queryFields()) {
            m.queryMutations(extraField);
        } else {
            m.bodyMutations(extraField);
        }
        m.pathMutations();
        return m.cases;
    }

    /** The request as the catalog gives it. */
    static FuzzCase asIs(RequestShape shape) {
        return new Mutations(shape).bodyCase("as-is", "the catalog's request", shape.fields, false);
    }

    private void bodyMutations(boolean extraField) {
        boolean reads = shape.fields.size() > 0;
        String path = shape.path(null, null);
        for (String malformed : List.of("{\"name\": ", "{]", "[1, 2]", "\"text\"", "{\"a\": tru}", "{\"a\" 1}")) {
            raw("malformed", malformed, path, "application/json", malformed.getBytes(StandardCharsets.UTF_8), reads);
        }
        raw("malformed", "bytes 0xFF 0xFE", path, "application/json", new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'},
                reads);
        if (shape.route.method().equals("POST")) {
            raw("content-type", "text/plain", path, "text/plain", shape.body(shape.fields), false);
        }
        for (List<Object> field : JsonFields.paths(shape.fields)) {
            String name = JsonFields.name(field);
            JsonNode value = JsonFields.get(shape.fields, field);
            bodyCase("missing", name, JsonFields.without(shape.fields, field), false);
            bodyCase("null", name, JsonFields.with(shape.fields, field, NODES.nullNode()), false);
            for (JsonNode wrong : wrongTypes(value)) {
                bodyCase("wrong-type", name + " = " + abbreviated(wrong), JsonFields.with(shape.fields, field, wrong),
                        false);
            }
            for (JsonNode huge : oversized(value)) {
                bodyCase("oversized", name + " = " + abbreviated(huge), JsonFields.with(shape.fields, field, huge),
                        false);
            }
            deepValue(name, field);
            if (value.isTextual()) {
                encodings(name, field, value.textValue(), reads);
            }
        }
        if (extraField) {
            bodyCase("oversized", "unknown field of 1 MB", JsonFields.with(shape.fields, List.of("fuzz_unknown"),
                    NODES.textNode("u".repeat(MEGABYTE))), false);
        }
    }

    /** NUL, an unpaired surrogate (both as JSON escapes) and invalid UTF-8 bytes inside the string at {@code field}. */
    private void encodings(String name, List<Object> field, String value, boolean reads) {
        ObjectNode marked = JsonFields.with(shape.fields, field, NODES.textNode(value + RequestShape.MARKER));
        marked(name + " with \\u0000", marked, "\\u0000x".getBytes(StandardCharsets.US_ASCII), "nul", reads);
        marked(name + " with \\ud800", marked, "\\ud800x".getBytes(StandardCharsets.US_ASCII), "surrogate", reads);
        marked(name + " with \\udc00 first", marked, "\\udc00\\ud800".getBytes(StandardCharsets.US_ASCII), "surrogate",
                reads);
        marked(name + " with bytes C3 28", marked, new byte[] {(byte) 0xc3, 0x28}, "utf8", reads);
        marked(name + " with overlong C0 80", marked, new byte[] {(byte) 0xc0, (byte) 0x80}, "utf8", reads);
        marked(name + " with CESU surrogate ED A0 80", marked, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                "utf8", reads);
    }

    private void marked(String description, ObjectNode body, byte[] raw, String category, boolean reads) {
        shape.rawBytes = raw;
        byte[] bytes = shape.body(body);
        shape.rawBytes = new byte[0];
        raw(category, description, shape.path(null, null), "application/json", bytes, reads);
    }

    private void queryMutations(boolean extraField) {
        String path = shape.path(null, null);
        for (List<Object> field : JsonFields.topLevel(shape.fields)) {
            String name = JsonFields.name(field);
            JsonNode value = JsonFields.get(shape.fields, field);
            query("missing", name, JsonFields.without(shape.fields, field), path, false);
            List<String> wrong = value.isNumber() ? List.of("abc", "1.5", "99999999999999999999", "-1", "0x10")
                    : value.isBoolean() ? List.of("maybe", "2") : List.of("12", "true", "");
            for (String w : wrong) {
                query("wrong-type", name + " = " + w, JsonFields.with(shape.fields, field, NODES.textNode(w)), path,
                        false);
            }
            query("oversized", name + " of 200,000 characters", JsonFields.with(shape.fields, field,
                    NODES.textNode(QUERY_HUGE)), path, false);
            String others = RequestShape.query(JsonFields.without(shape.fields, field));
            String prefix = path + "?" + (others.isEmpty() ? "" : others + "&") + RequestShape.encode(name) + "=";
            rawQuery("nul", name + " with %00", prefix + "a%00b", true);
            rawQuery("bad-escape", name + " with %ZZ", prefix + "a%ZZb", true);
            rawQuery("bad-escape", name + " ending in %", prefix + "ab%", true);
            rawQuery("utf8", name + " with %ED%A0%80", prefix + "a%ED%A0%80b", false);
            rawQuery("utf8", name + " with %FF", prefix + "a%FFb", false);
            rawQuery("oversized", name + " repeated 1000 times", path + "?" + (RequestShape.encode(name) + "=x&")
                    .repeat(1000), false);
        }
        if (extraField) {
            rawQuery("oversized", "query of 1 MB", path + "?fuzz_unknown=" + "u".repeat(MEGABYTE), false);
        }
        rawQuery("malformed", "query of separators", path + "?&&==&=&%26%3D", false);
    }

    private void uploadBodies() {
        String path = shape.path(null, null);
        raw("oversized", "5 MB upload", path, "application/octet-stream", new byte[5 * MEGABYTE], false);
        raw("as-is", "empty upload", path, "application/octet-stream", new byte[0], false);
    }

    private void pathMutations() {
        for (String parameter : shape.pathParameters()) {
            List<String[]> values = List.of(
                    new String[] {"oversized", "5000 characters", "p".repeat(5000), "false"},
                    new String[] {"oversized", "100,000 characters", "p".repeat(100_000), "false"},
                    new String[] {"dotdot", "..", "..", "false"},
                    new String[] {"dotdot", "%2E%2E", "%2E%2E", "false"},
                    new String[] {"dotdot", "a%2F..%2F..%2Fb", "a%2F..%2F..%2Fb", "false"},
                    new String[] {"nul", "a%00b", "a%00b", "true"},
                    new String[] {"bad-escape", "a%ZZb", "a%ZZb", "true"},
                    new String[] {"utf8", "a%ED%A0%80b", "a%ED%A0%80b", "false"},
                    new String[] {"utf8", "a%FF%FEb", "a%FF%FEb", "false"},
                    new String[] {"empty", "empty", "", "false"});
            for (String[] v : values) {
                String target = shape.path(parameter, v[2]);
                if (shape.queryFields()) {
                    String query = RequestShape.query(shape.fields);
                    cases.add(new FuzzCase(shape.route, v[0], "path {" + parameter + "} = " + v[1], "GET",
                            query.isEmpty() ? target : target + "?" + query, null, null, Boolean.parseBoolean(v[3])));
                } else {
                    byte[] body = shape.rawUpload() ? "fuzz".getBytes(StandardCharsets.UTF_8) : shape.body(shape.fields);
                    cases.add(new FuzzCase(shape.route, v[0], "path {" + parameter + "} = " + v[1],
                            shape.route.method(), target, shape.rawUpload() ? "application/octet-stream"
                            : "application/json", body, Boolean.parseBoolean(v[3])));
                }
            }
        }
    }

    private FuzzCase bodyCase(String category, String description, ObjectNode fields, boolean mustRefuse) {
        if (shape.queryFields()) {
            return query(category, description, fields, shape.path(null, null), mustRefuse);
        }
        byte[] body = shape.rawUpload() ? "fuzz bytes".getBytes(StandardCharsets.UTF_8) : shape.body(fields);
        return raw(category, description, shape.path(null, null), shape.rawUpload() ? "application/octet-stream"
                : "application/json", body, mustRefuse);
    }

    private FuzzCase raw(String category, String description, String target, String contentType, byte[] body,
                         boolean mustRefuse) {
        FuzzCase c = new FuzzCase(shape.route, category, description, shape.route.method(), target, contentType, body,
                mustRefuse);
        cases.add(c);
        return c;
    }

    private FuzzCase query(String category, String description, ObjectNode fields, String path, boolean mustRefuse) {
        String query = RequestShape.query(fields);
        return rawQuery(category, description, query.isEmpty() ? path : path + "?" + query, mustRefuse);
    }

    private FuzzCase rawQuery(String category, String description, String target, boolean mustRefuse) {
        FuzzCase c = new FuzzCase(shape.route, category, description, "GET", target, null, null, mustRefuse);
        cases.add(c);
        return c;
    }

    private static List<JsonNode> wrongTypes(JsonNode value) {
        List<JsonNode> wrong = new ArrayList<>();
        if (!value.isTextual()) {
            wrong.add(NODES.textNode("abc"));
        }
        if (!value.isNumber()) {
            wrong.add(NODES.numberNode(12345));
        }
        if (!value.isBoolean()) {
            wrong.add(NODES.booleanNode(true));
        }
        if (!value.isObject()) {
            wrong.add(NODES.objectNode().put("a", 1));
        }
        if (!value.isArray()) {
            wrong.add(NODES.arrayNode().add("x"));
        } else {
            wrong.add(NODES.arrayNode().add(NODES.arrayNode().add(1)).add(NODES.numberNode(7)));
        }
        if (value.isNumber()) {
            wrong.add(NODES.numberNode(1.5));
        }
        return wrong;
    }

    private static List<JsonNode> oversized(JsonNode value) {
        if (value.isTextual()) {
            return List.of(NODES.textNode("a".repeat(MEGABYTE)), NODES.textNode("é".repeat(5001)));
        }
        if (value.isNumber()) {
            return List.of(NODES.numberNode(new java.math.BigInteger("9".repeat(40))), NODES.numberNode(-1.0e308),
                    NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(new java.math.BigDecimal("1e400")));
        }
        if (value.isArray()) {
            ArrayNode many = NODES.arrayNode();
            JsonNode element = value.size() > 0 ? value.get(0) : NODES.textNode("x");
            for (int i = 0; i < 20_000; i++) {
                many.add(element.deepCopy());
            }
            return List.of(many);
        }
        return List.of();
    }

    /** The field replaced by arrays nested 5,000 deep (written by hand: Jackson refuses to write that deep). */
    private void deepValue(String name, List<Object> field) {
        ObjectNode marked = JsonFields.with(shape.fields, field, NODES.textNode(RequestShape.VALUE_MARKER));
        shape.rawValue = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        byte[] body = shape.body(marked);
        shape.rawValue = new byte[0];
        raw("oversized", name + " nested 5000 deep", shape.path(null, null), "application/json", body, false);
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        if (node.isArray() && node.size() > 3) {
            return "list of " + node.size();
        }
        return text.length() > 40 ? text.substring(0, 20) + "...(" + text.length() + " chars)" : text;
    }
}
