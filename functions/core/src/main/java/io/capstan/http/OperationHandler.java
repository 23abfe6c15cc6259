package io.capstan.http;

import java.util.Map;

/**
 * One operation of a function: what a route's operation name maps to inside the function that serves it.
 */
@FunctionalInterface
public interface OperationHandler {
    HttpResponse handle(HttpRequest request, Map<String, String> pathParameters);
}
