package io.capstan.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;

/**
 * The platform's JSON routes as the demo calls them, with curl's eyes: each call either answers 200 with a JSON body
 * or fails with the status and the body the platform sent.
 */
final class PlatformCalls {
    static final String VERSION_HEADER = "X-Capstan-Model-Version";
    static final String ROUTING_KEY_HEADER = "X-Capstan-Routing-Key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    PlatformCalls(URI server) {
        this.server = server;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return json(send("GET", path, null, Map.of()));
    }

    JsonNode post(String path, String body) throws IOException, InterruptedException {
        return json(send("POST", path, body, Map.of()));
    }

    JsonNode delete(String path, String body) throws IOException, InterruptedException {
        return json(send("DELETE", path, body, Map.of()));
    }

    /** A prediction request; the response keeps its headers (the answering version). */
    HttpResponse<String> predict(String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", path, body, headers);
        check(response);
        return response;
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        check(response);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static void check(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException(response.request().method() + " " + response.request().uri().getPath()
                    + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
