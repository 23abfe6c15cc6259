package io.capstan.local.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a JSON request body by path (object keys as strings, array indexes as integers): the top-level ones,
 * and those of nested objects and of the first element of lists of objects, as deep as requests go; copies of a body
 * with one field replaced or removed.
 */
final class JsonFields {
    private static final int MAX_DEPTH = 4;

    private JsonFields() {
    }

    static List<List<Object>> topLevel(ObjectNode body) {
        List<List<Object>> paths = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> paths.add(List.of(name)));
        return paths;
    }

    static List<List<Object>> paths(ObjectNode body) {
        List<List<Object>> paths = new ArrayList<>();
        collect(body, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(JsonNode node, List<Object> at, List<List<Object>> paths) {
        if (at.size() >= MAX_DEPTH) {
            return;
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                List<Object> child = new ArrayList<>(at);
                child.add(name);
                paths.add(List.copyOf(child));
                collect(node.get(name), child, paths);
            });
        } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
            List<Object> first = new ArrayList<>(at);
            first.add(0);
            if (node.get(0).isArray()) {
                paths.add(List.copyOf(first));
            }
            collect(node.get(0), first, paths);
        }
    }

    static JsonNode get(JsonNode body, List<Object> path) {
        JsonNode node = body;
        for (Object step : path) {
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    /** A copy of {@code body} with the value at {@code path} replaced (or added, at the top level). */
    static ObjectNode with(ObjectNode body, List<Object> path, JsonNode value) {
        ObjectNode copy = body.deepCopy();
        JsonNode parent = get(copy, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return copy;
    }

    /** A copy of {@code body} without the value at {@code path}. */
    static ObjectNode without(ObjectNode body, List<Object> path) {
        ObjectNode copy = body.deepCopy();
        JsonNode parent = get(copy, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).remove(i);
        } else {
            ((ObjectNode) parent).remove((String) last);
        }
        return copy;
    }

    /** A path as text, e.g. {@code tags[0].key}. */
    static String name(List<Object> path) {
        StringBuilder name = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                name.append('[').append(i).append(']');
            } else {
                name.append(name.length() == 0 ? "" : ".").append(step);
            }
        }
        return name.toString();
    }
}
