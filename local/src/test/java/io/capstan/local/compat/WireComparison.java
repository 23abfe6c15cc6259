package io.capstan.local.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a live answer with the recorded one structurally, as {@code mlflow_compat/wire.py} does: same status, same
 * media type, for JSON the same keys and values (entries with a {@code key}, or an {@code alias}, and {@code aliases}
 * compared as sets), ids the server chose learnt into {@link WireMappings} instead of compared, timestamps compared by
 * JSON type only, fractions to a relative 1e-6; other text after the mappings, bytes exactly. Each difference names
 * its JSON path.
 */
final class WireComparison {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final Set<String> TIMESTAMP_KEYS = Set.of("creation_time", "last_update_time", "start_time",
            "end_time", "creation_timestamp", "last_updated_timestamp", "timestamp", "creation_timestamp_ms",
            "last_updated_timestamp_ms");
    private static final Pattern GENERATED_PREDICTION_ID = Pattern.compile("[0-9a-f]{24}-(\\d+)");
    private static final Set<String> ID_KEYS = Set.of("run_id", "run_uuid", "experiment_id", "model_id",
            "source_run_id", "upload_id");

    private final WireMappings mappings;
    private final Set<String> ignore;
    private final String endpoint;
    private final List<String> differences = new ArrayList<>();

    private WireComparison(WireMappings mappings, Set<String> ignore, String endpoint) {
        this.mappings = mappings;
        this.ignore = ignore;
        this.endpoint = endpoint;
    }

    /** The differences between {@code recorded}'s answer and the live one; empty when they agree. */
    static List<String> compare(WireExchange recorded, int status, String contentType, byte[] body,
                                WireMappings mappings) {
        WireComparison comparison = new WireComparison(mappings, recorded.ignore(), recorded.path());
        comparison.answers(recorded, status, contentType, body);
        return comparison.differences;
    }

    private void answers(WireExchange recorded, int status, String contentType, byte[] body) {
        if (recorded.status() != status) {
            differences.add("status: recorded " + recorded.status() + ", live " + status);
        }
        String recordedType = WireExchange.mediaType(recorded.responseContentType());
        String liveType = WireExchange.mediaType(contentType);
        Optional<JsonNode> recordedJson = json(recorded.responseBody());
        Optional<JsonNode> liveJson = json(body);
        if (recordedJson.isPresent() && liveJson.isPresent()
                && (recordedType.equals("application/json") || liveType.equals("application/json"))) {
            values(recordedJson.get(), liveJson.get(), "", null);
            return;
        }
        if (!recordedType.equals(liveType) && !ignore.contains("content-type")
                && (recorded.responseBody().length > 0 || body.length > 0)) {
            differences.add("content-type: recorded " + recordedType + ", live " + liveType);
        }
        Optional<String> recordedText = WireExchange.text(recorded.responseBody());
        Optional<String> liveText = WireExchange.text(body);
        if (recordedText.isPresent() && liveText.isPresent()) {
            String expected = mappings.apply(recordedText.get());
            if (!expected.equals(liveText.get()) && !mappings.learnTokens(expected, liveText.get())) {
                differences.add("body: recorded " + clip(recordedText.get()) + ", live " + clip(liveText.get()));
            }
        } else if (!Arrays.equals(recorded.responseBody(), body)) {
            differences.add("body: recorded " + recorded.responseBody().length + " bytes, live " + body.length
                    + " bytes, not the same");
        }
    }

    private void values(JsonNode recorded, JsonNode live, String path, String key) {
        if (ignore.contains(path.replaceAll("\\[\\d+]", "[]"))) {
            return;
        }
        if (key != null && TIMESTAMP_KEYS.contains(key)) {
            if (!kind(recorded).equals(kind(live))) {
                differences.add(path + ": recorded " + recorded + ", live " + live + " (not the same JSON type)");
            }
            return;
        }
        if (recorded.isObject()) {
            objects(recorded, live, path);
        } else if (recorded.isArray()) {
            arrays(recorded, live, path, key);
        } else if (recorded.isTextual() && live.isTextual()) {
            strings(recorded.asText(), live.asText(), path, key);
        } else if (recorded.isNumber() && live.isNumber()) {
            if (!sameNumber(recorded, live)) {
                differences.add(path + ": recorded " + recorded + ", live " + live);
            }
        } else if (!recorded.equals(live)) {
            differences.add(path + ": recorded " + clip(recorded.toString()) + ", live " + clip(live.toString()));
        }
    }

    private void objects(JsonNode recorded, JsonNode live, String path) {
        if (!live.isObject()) {
            differences.add(path + ": recorded an object, live " + clip(live.toString()));
            return;
        }
        for (Iterator<String> names = recorded.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!live.has(name) && !ignored(path + "/" + name)) {
                differences.add(path + "/" + name + ": recorded " + clip(recorded.get(name).toString())
                        + ", live absent");
            }
        }
        for (Iterator<String> names = live.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!recorded.has(name) && !ignored(path + "/" + name)) {
                differences.add(path + "/" + name + ": recorded absent, live " + clip(live.get(name).toString()));
            }
        }
        for (Iterator<String> names = recorded.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (live.has(name)) {
                values(recorded.get(name), live.get(name), path + "/" + name, name);
            }
        }
    }

    private void arrays(JsonNode recorded, JsonNode live, String path, String key) {
        if (!live.isArray() || live.size() != recorded.size()) {
            differences.add(path + ": recorded " + clip(recorded.toString()) + ", live " + clip(live.toString()));
            return;
        }
        List<JsonNode> a = ordered(recorded, key, true);
        List<JsonNode> b = ordered(live, key, false);
        for (int i = 0; i < a.size(); i++) {
            values(a.get(i), b.get(i), path + "[" + i + "]",
                    "experiment_ids".equals(key) || "prediction_ids".equals(key) ? key : null);
        }
    }

    private void strings(String recorded, String live, String path, String key) {
        if ("next_page_token".equals(key)) {
            // a token is the endpoint's own: two endpoints may answer the same recorded token
            mappings.learnPageToken(endpoint, recorded, live);
            return;
        }
        if ("prediction_ids".equals(key) || "prediction_id".equals(key)) {
            // generated for each request (a random prefix and the row's position): the same shape and row
            Matcher was = GENERATED_PREDICTION_ID.matcher(recorded);
            Matcher is = GENERATED_PREDICTION_ID.matcher(live);
            if (!was.matches() || !is.matches() || !was.group(1).equals(is.group(1))) {
                differences.add(path + ": recorded " + recorded + ", live " + live + " (not a generated id of the"
                        + " same row)");
            }
            return;
        }
        String expected = mappings.apply(recorded);
        if (expected.equals(live)) {
            return;
        }
        if (key != null && (ID_KEYS.contains(key) || key.equals("experiment_ids"))) {
            if (!mappings.learn(recorded, live)) {
                differences.add(path + ": recorded " + recorded + " (seen before as another value), live " + live);
            }
            return;
        }
        if (!mappings.learnTokens(expected, live)) {
            differences.add(path + ": recorded " + clip(recorded) + ", live " + clip(live));
        }
    }

    /** Tags, params, metrics ({@code key}), aliases: sets, so sorted; everything else in order. */
    private List<JsonNode> ordered(JsonNode array, String key, boolean recorded) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        if ("aliases".equals(key) && items.stream().allMatch(JsonNode::isTextual)) {
            items.sort(Comparator.comparing(JsonNode::asText));
        } else if ("latest_versions".equals(key) && items.stream().allMatch(JsonNode::isObject)) {
            items.sort(Comparator.comparingLong((JsonNode i) -> i.path("version").asLong(0)));
        } else if (!items.isEmpty() && items.stream().allMatch(i -> i.isObject() && i.has("key"))) {
            items.sort(Comparator.comparing((JsonNode i) -> i.get("key").asText())
                    .thenComparing(i -> canonical(i, recorded)));
        } else if (!items.isEmpty() && items.stream().allMatch(i -> i.isObject() && i.has("alias"))) {
            items.sort(Comparator.comparing((JsonNode i) -> i.get("alias").asText()));
        }
        return items;
    }

    private String canonical(JsonNode node, boolean recorded) {
        try {
            String text = JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
            return recorded ? mappings.apply(text) : text;
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /**
     * Integers exactly; fractions to a relative 1e-6, for model outputs (ONNX Runtime's float kernels differ in the
     * last bits between CPUs). The values MLflow clients log travel as they were sent, so they compare exactly anyway.
     */
    private static boolean sameNumber(JsonNode recorded, JsonNode live) {
        double a = recorded.doubleValue();
        double b = live.doubleValue();
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return Double.compare(a, b) == 0;
        }
        if (recorded.decimalValue().compareTo(live.decimalValue()) == 0) {
            return true;
        }
        if (recorded.isIntegralNumber() && live.isIntegralNumber()) {
            return false;
        }
        return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    }

    private boolean ignored(String path) {
        return ignore.contains(path.replaceAll("\\[\\d+]", "[]"));
    }

    private static Optional<JsonNode> json(byte[] body) {
        Optional<String> text = WireExchange.text(body);
        if (text.isEmpty() || text.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(text.get()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String kind(JsonNode node) {
        return node.isNumber() ? "number" : node.getNodeType().name();
    }

    private static String clip(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }
}
