package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.console.ConsoleFunction;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.local.internal.ListenerLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway against clients that are not MLflow's: pages of other sites, rebound DNS names, malformed and
 * over-long URLs, wrong methods, clients without the token, and slow clients holding connections open.
 */
@Timeout(60)
class LocalGatewaySecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-T0ken";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Socket> held = new ArrayList<>();
    private LocalGateway gateway;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void post_crossOrigin_isForbiddenWithoutCallingFunction() throws Exception {
        start(GatewaySettings.defaults());

        var response = post("/api/2.0/mlflow/experiments/create", "Origin", "http://evil.example");
        var nullOrigin = post("/api/2.0/mlflow/experiments/create", "Origin", "null");
        var otherPort = post("/api/2.0/mlflow/experiments/create", "Origin", "http://127.0.0.1:1");

        assertMlflowError(response.statusCode(), response.body(), 403, "PERMISSION_DENIED");
        assertThat(nullOrigin.statusCode()).isEqualTo(403);
        assertThat(otherPort.statusCode()).isEqualTo(403);
        assertThat(calls).hasValue(0);
    }

    @Test
    void post_refusedOnItsHead_answersAfterTheBody_andTheConnectionServesTheNextRequest() throws Exception {
        start(GatewaySettings.defaults());
        String host = "Host: 127.0.0.1:" + gateway.port() + "\r\n";

        String answers = raw("POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\n" + host
                + "Origin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                + "{\"name\": \"x\"}"
                + "GET /health HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");

        assertThat(answers).startsWith("HTTP/1.1 403").contains("PERMISSION_DENIED");
        assertThat(answers.indexOf("HTTP/1.1 200")).as(answers).isGreaterThan(answers.indexOf("HTTP/1.1 403"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void post_sameOriginOrNoOrigin_reachesFunction() throws Exception {
        start(GatewaySettings.defaults());

        var numeric = post("/api/2.0/mlflow/experiments/create", "Origin", "http://127.0.0.1:" + gateway.port());
        var named = post("/api/2.0/mlflow/experiments/create", "Origin", "http://localhost:" + gateway.port());
        var none = post("/api/2.0/mlflow/experiments/create", "X-Client", "sdk");

        assertThat(numeric.statusCode()).isEqualTo(200);
        assertThat(named.statusCode()).isEqualTo(200);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(calls).hasValue(3);
    }

    @Test
    void request_forgedHost_isForbidden() throws Exception {
        start(GatewaySettings.defaults());
        int port = gateway.port();

        String rebound = raw("GET /health HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nConnection: close\r\n\r\n");
        String otherPort = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
        String localhost = raw("GET /health HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n");
        String ipv6 = raw("GET /health HTTP/1.1\r\nHost: [::1]:" + port + "\r\nConnection: close\r\n\r\n");

        assertRawMlflowError(rebound, 403, "PERMISSION_DENIED");
        assertRawMlflowError(otherPort, 403, "PERMISSION_DENIED");
        assertThat(localhost).startsWith("HTTP/1.1 200");
        assertThat(ipv6).startsWith("HTTP/1.1 200");
        assertThat(calls).hasValue(2);
    }

    @Test
    void request_tokenSet_requiresBearerExceptOnHealth() throws Exception {
        start(GatewaySettings.defaults().withBearerToken(TOKEN));

        var without = post("/api/2.0/mlflow/experiments/create", "X-Client", "sdk");
        var wrong = post("/api/2.0/mlflow/experiments/create", "Authorization", "Bearer not-" + TOKEN);
        var with = post("/api/2.0/mlflow/experiments/create", "Authorization", "Bearer " + TOKEN);
        var health = http.send(java.net.http.HttpRequest.newBuilder(url("/health")).GET().build(),
                BodyHandlers.ofString());
        var version = http.send(java.net.http.HttpRequest.newBuilder(url("/version")).GET().build(),
                BodyHandlers.ofString());

        assertMlflowError(without.statusCode(), without.body(), 401, "UNAUTHENTICATED");
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer"));
        assertMlflowError(wrong.statusCode(), wrong.body(), 401, "UNAUTHENTICATED");
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(version.statusCode()).isEqualTo(401);
        assertThat(without.body()).doesNotContain(TOKEN);
        assertThat(calls).hasValue(2);
    }

    @Test
    void request_tokenSet_consoleFilesAreServedWithoutIt_theApiIsNot() throws Exception {
        gateway = new LocalGateway(RouteTable.capstan(), Map.of(FunctionId.TRACKING, this::answer,
                FunctionId.CONSOLE, new ConsoleFunction()), GatewaySettings.defaults().withBearerToken(TOKEN));
        gateway.start(0);

        var page = http.send(java.net.http.HttpRequest.newBuilder(url("/")).GET().build(), BodyHandlers.ofString());
        var script = http.send(java.net.http.HttpRequest.newBuilder(url("/console/app.js")).GET().build(),
                BodyHandlers.ofString());
        var api = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow/experiments/search")).GET()
                .build(), BodyHandlers.ofString());
        var postToThePage = post("/", "X-Client", "sdk");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("console/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertMlflowError(api.statusCode(), api.body(), 401, "UNAUTHENTICATED");
        assertMlflowError(postToThePage.statusCode(), postToThePage.body(), 401, "UNAUTHENTICATED");
        assertThat(calls).hasValue(0);
    }

    @Test
    void request_megabyteQueryString_isJsonUriTooLong() throws Exception {
        start(GatewaySettings.defaults());

        String response = raw("GET /health?q=" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                + "\r\nConnection: close\r\n\r\n");
        var afterwards = http.send(java.net.http.HttpRequest.newBuilder(url("/health")).GET().build(),
                BodyHandlers.ofString());

        assertRawMlflowError(response, 414, "INVALID_PARAMETER_VALUE");
        assertThat(body(response).path("message").asText()).contains("POST body");
        assertThat(afterwards.statusCode()).isEqualTo(200);
        assertThat(calls).hasValue(1);
    }

    @Test
    void request_badPercentEscape_isJsonBadRequest() throws Exception {
        start(GatewaySettings.defaults());
        String host = "Host: 127.0.0.1:" + gateway.port() + "\r\nConnection: close\r\n\r\n";

        String inQuery = raw("GET /health?x=%zz HTTP/1.1\r\n" + host);
        String inPath = raw("GET /api/2.0/mlflow/runs/get%g1 HTTP/1.1\r\n" + host);
        String truncated = raw("GET /health% HTTP/1.1\r\n" + host);
        String notUtf8 = raw("GET /health%ff HTTP/1.1\r\n" + host);

        assertRawMlflowError(inQuery, 400, "INVALID_PARAMETER_VALUE");
        assertRawMlflowError(inPath, 400, "INVALID_PARAMETER_VALUE");
        assertRawMlflowError(truncated, 400, "INVALID_PARAMETER_VALUE");
        assertRawMlflowError(notUtf8, 400, "INVALID_PARAMETER_VALUE");
        assertThat(inQuery).doesNotContain("URISyntaxException", "<h1>");
        assertThat(calls).hasValue(0);
    }

    @Test
    void request_nulInPath_isJsonBadRequest() throws Exception {
        start(GatewaySettings.defaults());
        String host = "Host: 127.0.0.1:" + gateway.port() + "\r\nConnection: close\r\n\r\n";

        String escaped = raw("GET /api/2.0/mlflow-artifacts/artifacts/a%00b HTTP/1.1\r\n" + host);
        String rawNul = raw("GET /api/2.0/mlflow-artifacts/artifacts/a\u0000b HTTP/1.1\r\n" + host);

        assertRawMlflowError(escaped, 400, "INVALID_PARAMETER_VALUE");
        assertThat(body(escaped).path("message").asText()).contains("NUL");
        assertRawMlflowError(rawNul, 400, "INVALID_PARAMETER_VALUE");
        assertThat(calls).hasValue(0);
    }

    @Test
    void request_wrongMethodOnKnownPath_isMethodNotAllowedWithAllow() throws Exception {
        start(GatewaySettings.defaults());

        var delete = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow/runs/create")).DELETE()
                .build(), BodyHandlers.ofString());
        var get = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow/experiments/create")).GET()
                .build(), BodyHandlers.ofString());
        var artifacts = http.send(java.net.http.HttpRequest.newBuilder(url("/api/2.0/mlflow-artifacts/artifacts/a/b"))
                .POST(BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());

        assertMlflowError(delete.statusCode(), delete.body(), 405, "ENDPOINT_NOT_FOUND");
        assertThat(delete.headers().firstValue("Allow")).hasValue("POST");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(artifacts.statusCode()).isEqualTo(405);
        assertThat(artifacts.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
        assertThat(calls).hasValue(0);
    }

    @Test
    void health_sixteenHalfOpenConnectionsHeld_answersWithinASecond() throws Exception {
        start(GatewaySettings.defaults());
        assertThat(health().statusCode()).isEqualTo(200);
        for (int i = 0; i < 16; i++) {
            Socket socket = connect();
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                    + "\r\nX-Half: ").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            held.add(socket);
        }

        long started = System.nanoTime();
        var response = health();
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("GET /health with 16 half-open connections held: " + millis + " ms");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(millis).isLessThan(1000);
        for (Socket socket : held) {
            assertThat(stillOpen(socket)).as("a half-open connection is still held").isTrue();
        }
    }

    @Test
    void connection_headersNotFinishedInTime_isClosed() throws Exception {
        start(GatewaySettings.defaults().withLimits(new ListenerLimits(16, Duration.ofMillis(300))));
        Socket socket = connect();
        socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        socket.setSoTimeout(5000);
        long started = System.nanoTime();
        int read = socket.getInputStream().read();
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(read).isEqualTo(-1);
        assertThat(millis).isLessThan(4000);
        assertThat(calls).hasValue(0);
    }

    @Test
    void connection_bodyNotFinishedInTime_isAnswered408AndClosed() throws Exception {
        start(GatewaySettings.defaults().withLimits(new ListenerLimits(16, Duration.ofMillis(300))));
        Socket socket = connect();
        socket.getOutputStream().write(("POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: 127.0.0.1:"
                + gateway.port() + "\r\nContent-Length: 100\r\n\r\n{\"name\": ").getBytes(StandardCharsets.US_ASCII));

        socket.setSoTimeout(5000);
        long started = System.nanoTime();
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertRawMlflowError(answer, 408, "INVALID_PARAMETER_VALUE");
        assertThat(millis).isLessThan(4000);
        assertThat(calls).hasValue(0);
    }

    @Test
    void connection_overTheLimit_isRefusedWithJson503() throws Exception {
        start(GatewaySettings.defaults().withLimits(new ListenerLimits(2, Duration.ofSeconds(5))));
        held.add(connect());
        held.add(connect());
        // the listener counts a connection once it has taken it up, which is not in step with the client's connect
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gateway.openConnections() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        String refused = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\n\r\n");
        held.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        held.clear();
        String later = awaitServed();

        assertRawMlflowError(refused, 503, "TEMPORARILY_UNAVAILABLE");
        assertThat(later).startsWith("HTTP/1.1 200");
    }

    private void start(GatewaySettings settings) {
        gateway = new LocalGateway(RouteTable.capstan(), Map.of(FunctionId.TRACKING, this::answer), settings);
        gateway.start(0);
    }

    private HttpResponse answer(HttpRequest request) {
        calls.incrementAndGet();
        return HttpResponse.json(200, "{}");
    }

    private java.net.http.HttpResponse<String> post(String path, String header, String value) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(url(path)).header(header, value)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"name\": \"x\"}")).build(),
                BodyHandlers.ofString());
    }

    private java.net.http.HttpResponse<String> health() throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(url("/health")).timeout(Duration.ofSeconds(10)).GET()
                .build(), BodyHandlers.ofString());
    }

    private URI url(String pathAndQuery) {
        return URI.create(gateway.url() + pathAndQuery);
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), gateway.port());
    }

    /** Sends {@code request} as is and reads the answer until the server closes (10 s at most). */
    private String raw(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A request on a fresh connection once the gateway has noticed closed ones (bounded: 50 tries). */
    private String awaitServed() throws Exception {
        String answer = "";
        for (int i = 0; i < 50 && !answer.startsWith("HTTP/1.1 200"); i++) {
            answer = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\nConnection: close\r\n\r\n");
            if (!answer.startsWith("HTTP/1.1 200")) {
                Thread.sleep(20);
            }
        }
        return answer;
    }

    private static boolean stillOpen(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            InputStream in = socket.getInputStream();
            return in.read() >= 0;
        } catch (SocketTimeoutException nothingYet) {
            return true;
        }
    }

    private static void assertMlflowError(int status, String body, int expectedStatus, String code) throws Exception {
        assertThat(status).isEqualTo(expectedStatus);
        JsonNode json = JSON.readTree(body);
        assertThat(json.path("error_code").asText()).isEqualTo(code);
        assertThat(json.path("message").asText()).isNotBlank();
        assertThat(json.size()).isEqualTo(2);
    }

    private static void assertRawMlflowError(String response, int status, String code) throws Exception {
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase())
                .contains("content-type: application/json");
        assertMlflowError(status, response.substring(response.indexOf("\r\n\r\n") + 4), status, code);
    }

    private static JsonNode body(String response) throws IOException {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
}
