package io.capstan.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the route table: an HTTP method and a path template leading to one operation of one function.
 * Templates use API Gateway's syntax: {@code {name}} matches one path segment, a final {@code {name+}} matches
 * the rest of the path (one or more segments).
 *
 * @param method       upper-case HTTP method
 * @param pathTemplate path template, starting with {@code /}
 * @param function     the function that serves the route
 * @param operation    the operation name inside that function (MLflow's RPC name where there is one)
 */
public record Route(String method, String pathTemplate, FunctionId function, String operation) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(operation, "operation");
        if (pathTemplate == null || !pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("pathTemplate must start with '/': " + pathTemplate);
        }
    }

    /** API Gateway's route key, e.g. {@code POST /api/2.0/mlflow/runs/create}. */
    public String routeKey() {
        return method + " " + pathTemplate;
    }

    /** Path parameters when {@code path} matches this template, otherwise empty. */
    public Optional<Map<String, String>> match(String path) {
        return match(segments(pathTemplate), segments(path));
    }

    /** Path parameters when {@code actual} matches {@code template} (both split by {@link #segments}). */
    static Optional<Map<String, String>> match(List<String> template, List<String> actual) {
        if (template.size() != actual.size() && (template.isEmpty()
                || !template.get(template.size() - 1).endsWith("+}"))) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            boolean greedy = t.startsWith("{") && t.endsWith("+}");
            if (greedy) {
                if (i != template.size() - 1 || actual.size() <= i) {
                    return Optional.empty();
                }
                params.put(t.substring(1, t.length() - 2), String.join("/", actual.subList(i, actual.size())));
                return Optional.of(params);
            }
            if (i >= actual.size()) {
                return Optional.empty();
            }
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), actual.get(i));
            } else if (!t.equals(actual.get(i))) {
                return Optional.empty();
            }
        }
        return template.size() == actual.size() ? Optional.of(params) : Optional.empty();
    }

    /** A path or template as its segments, without leading and trailing slashes. */
    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }
}
