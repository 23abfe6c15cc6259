package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<HttpRequest> received = new AtomicReference<>();
    private final AtomicInteger calls = new AtomicInteger();
    private LocalGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void start_portZero_bindsLoopbackOnAFreePort() throws Exception {
        start(request -> HttpResponse.text(200, "OK"));

        assertThat(gateway.port()).isPositive();
        assertThat(gateway.url()).isEqualTo(URI.create("http://127.0.0.1:" + gateway.port()));
        assertThat(InetAddress.getByName(gateway.url().getHost()).isLoopbackAddress()).isTrue();
    }

    @Test
    void request_matchingRoute_reachesFunctionDecoded() throws Exception {
        start(request -> HttpResponse.json(201, "{\"ok\": true}"));

        var response = http.send(java.net.http.HttpRequest.newBuilder(
                        url("/api/2.0/mlflow/runs/create?tag=a%20b&tag=c&flag&plus=x+y"))
                .header("X-Capstan-Test", "yes")
                .POST(BodyPublishers.ofString("{\"experiment_id\": \"1\"}")).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"ok\": true}");
        HttpRequest request = received.get();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/2.0/mlflow/runs/create");
        assertThat(request.query()).containsEntry("tag", java.util.List.of("a b", "c"))
                .containsEntry("flag", java.util.List.of("")).containsEntry("plus", java.util.List.of("x y"));
        assertThat(request.header("x-capstan-test")).hasValue("yes");
        assertThat(request.bodyAsString()).isEqualTo("{\"experiment_id\": \"1\"}");
        assertThat(request.callerId()).isEqualTo("local");
    }

    @Test
    void request_encodedPath_isDecodedBeforeMatching() throws Exception {
        start(request -> HttpResponse.bytes(200, "application/octet-stream", new byte[] {0, 1, (byte) 0xff}));

        var response = http.send(java.net.http.HttpRequest.newBuilder(
                url("/api/2.0/mlflow-artifacts/artifacts/1/run/my%20model/model.onnx")).GET().build(),
                BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsExactly(0, 1, 0xff);
        assertThat(received.get().path()).isEqualTo("/api/2.0/mlflow-artifacts/artifacts/1/run/my model/model.onnx");
    }

    @Test
    void request_noRoute_isEndpointNotFound() throws Exception {
        start(request -> HttpResponse.text(200, "OK"));

        var unknownPath = get("/api/2.0/mlflow/nothing-here");
        var wrongMethod = http.send(java.net.http.HttpRequest.newBuilder(url("/health"))
                .DELETE().build(), BodyHandlers.ofString());

        assertMlflowError(unknownPath, 404, "ENDPOINT_NOT_FOUND");
        assertMlflowError(wrongMethod, 405, "ENDPOINT_NOT_FOUND");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertThat(calls).hasValue(0);
    }

    @Test
    void request_routeOfAFunctionNotRegistered_isEndpointNotFound() throws Exception {
        gateway = new LocalGateway(RouteTable.capstan(), Map.of());
        gateway.start(0);

        assertMlflowError(get("/health"), 404, "ENDPOINT_NOT_FOUND");
    }

    @Test
    void request_bodyOverSixMegabytes_isPayloadTooLargeWithoutCallingFunction() throws Exception {
        start(request -> HttpResponse.text(200, "OK"));
        byte[] tooLarge = new byte[LocalGateway.MAX_BODY_BYTES + 1];

        var declared = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow/runs/log-batch"))
                .POST(BodyPublishers.ofByteArray(tooLarge)).build(), BodyHandlers.ofString());
        var chunked = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow/runs/log-batch"))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge))).build(),
                BodyHandlers.ofString());
        var afterwards = get("/health");

        assertMlflowError(declared, 413, "PAYLOAD_TOO_LARGE");
        assertMlflowError(chunked, 413, "PAYLOAD_TOO_LARGE");
        assertThat(afterwards.statusCode()).isEqualTo(200);
        assertThat(calls).hasValue(1);
    }

    @Test
    void request_bodyOfExactlySixMegabytes_reachesFunction() throws Exception {
        start(request -> HttpResponse.text(200, Integer.toString(request.body().length)));
        byte[] atLimit = new byte[LocalGateway.MAX_BODY_BYTES];
        Arrays.fill(atLimit, (byte) 7);

        var response = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow/runs/log-batch"))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(atLimit))).build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Integer.toString(LocalGateway.MAX_BODY_BYTES));
        assertThat(received.get().body()).containsOnly(7);
    }

    @Test
    void request_functionThrows_isInternalErrorWithoutDetails() throws Exception {
        start(request -> {
            throw new IllegalStateException("secret table name capstan-metadata");
        });

        var response = get("/health");

        assertMlflowError(response, 500, "INTERNAL_ERROR");
        assertThat(response.body()).doesNotContain("secret", "IllegalStateException", "at io.capstan");
    }

    @Test
    void request_malformedQuery_isBadRequest() throws Exception {
        start(request -> HttpResponse.text(200, "OK"));

        // java.net.http refuses to send a malformed URI, so this request goes over a plain socket
        String response;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.getOutputStream().write("GET /health?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(calls).hasValue(0);
    }

    @Test
    void request_emptyResponseBody_isSentWithoutBody() throws Exception {
        start(request -> new HttpResponse(204, Map.of(), new byte[0]));

        var response = get("/health");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void close_twice_isHarmless() {
        start(request -> HttpResponse.text(200, "OK"));

        gateway.close();
        gateway.close();
    }

    private void start(Function<HttpRequest, HttpResponse> function) {
        Function<HttpRequest, HttpResponse> recording = request -> {
            calls.incrementAndGet();
            received.set(request);
            return function.apply(request);
        };
        gateway = new LocalGateway(RouteTable.capstan(), Map.of(FunctionId.TRACKING, recording));
        gateway.start(0);
    }

    private java.net.http.HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(url(pathAndQuery)).GET().build(), BodyHandlers.ofString());
    }

    private URI url(String pathAndQuery) {
        return URI.create(gateway.url() + pathAndQuery);
    }

    private static void assertMlflowError(java.net.http.HttpResponse<String> response, int status, String code)
            throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error_code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(2);
    }
}
