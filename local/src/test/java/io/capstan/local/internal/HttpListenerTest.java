package io.capstan.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/1.1 as the listener speaks it on a plain socket: framing, keep-alive, interim answers, late responses. */
@Timeout(30)
class HttpListenerTest {
    private final AtomicReference<HttpRequest> received = new AtomicReference<>();
    private HttpListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void serve_pipelinedRequests_answersEachInOrderOnOneConnection() throws Exception {
        start(request -> CompletableFuture.completedFuture(HttpResponse.text(200, request.path())));

        String answers = exchange("GET /first HTTP/1.1\r\nHost: h\r\n\r\nGET /second HTTP/1.1\r\nHost: h\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(answers).containsSubsequence("HTTP/1.1 200 OK", "Content-Length: 6", "/first",
                "HTTP/1.1 200 OK", "Connection: close", "/second");
    }

    @Test
    void serve_chunkedBodyWithExtensionsAndTrailers_isReassembled() throws Exception {
        start(echo());

        String answer = exchange("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                + "\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("hello world");
    }

    @Test
    void serve_malformedChunk_isJsonBadRequest() throws Exception {
        start(echo());

        String answer = exchange("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("application/json", "INVALID_PARAMETER_VALUE",
                "Malformed request body").contains("Connection: close");
        assertThat(received.get()).isNull();
    }

    @Test
    void serve_expectContinue_sendsInterimAnswerBeforeTheBody() throws Exception {
        start(echo());
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String interim = readUntilBlankLine(socket.getInputStream());
            out.write("body".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            assertThat(rest).startsWith("HTTP/1.1 200 ").endsWith("body");
        }
    }

    @Test
    void serve_http10WithoutKeepAlive_closesAfterTheAnswer() throws Exception {
        start(request -> CompletableFuture.completedFuture(HttpResponse.text(200, "ok")));

        // exchange reads until the listener closes the connection (the test's timeout fails it otherwise)
        String answer = exchange("GET /x HTTP/1.0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("ok");
    }

    @Test
    void serve_lateResponse_isWrittenWhenReadyAndTheConnectionCarriesOn() throws Exception {
        // completed 200 ms after the handler returned, so the connection's thread has long let go of it
        start(request -> request.path().equals("/late")
                ? CompletableFuture.supplyAsync(() -> HttpResponse.text(200, "late"),
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
                : CompletableFuture.completedFuture(HttpResponse.text(200, "next")));
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);

            socket.getOutputStream().write("GET /late HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String first = readResponse(socket.getInputStream(), 4);
            socket.getOutputStream().write("GET /next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String second = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(first).startsWith("HTTP/1.1 200 ").endsWith("late");
            assertThat(second).startsWith("HTTP/1.1 200 ").endsWith("next");
        }
    }

    @Test
    void serve_handlerFails_isJsonInternalErrorWithoutDetails() throws Exception {
        start(request -> CompletableFuture.failedFuture(new IllegalStateException("table capstan-secret")));

        String answer = exchange("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 500 ").contains("INTERNAL_ERROR").doesNotContain("capstan-secret");
    }

    @Test
    void serve_responseHeaderWithLineBreak_cannotSplitTheResponse() throws Exception {
        start(request -> CompletableFuture.completedFuture(new HttpResponse(200,
                java.util.Map.of("X-Name", "a\r\nSet-Cookie: evil=1"), new byte[0])));

        String answer = exchange("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        assertThat(answer).contains("X-Name: a  Set-Cookie: evil=1").doesNotContain("\r\nSet-Cookie");
    }

    private void start(Function<HttpRequest, CompletionStage<HttpResponse>> function) {
        listener = HttpListener.bind(0, new ListenerLimits(16, Duration.ofSeconds(5)), "test-listener");
        listener.serve(head -> new Router.Invoke(request -> {
            received.set(request);
            return function.apply(request);
        }, 1024, Exchanges.error(io.capstan.error.ErrorCode.PAYLOAD_TOO_LARGE, "too large")));
    }

    private static Function<HttpRequest, CompletionStage<HttpResponse>> echo() {
        return request -> CompletableFuture.completedFuture(HttpResponse.bytes(200, "application/octet-stream",
                request.body()));
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), listener.port());
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String readUntilBlankLine(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readResponse(InputStream in, int bodyLength) throws IOException {
        String head = readUntilBlankLine(in);
        return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
    }
}
