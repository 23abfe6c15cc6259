package io.capstan.tracking.function;

import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.util.Map;

/** One operation of the tracking function. */
@FunctionalInterface
interface Handler {
    HttpResponse handle(HttpRequest request, Map<String, String> pathParameters);
}
