package io.capstan.local.internal;

import io.capstan.error.ErrorCode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 listener on 127.0.0.1 for the local platform, on Jetty's core server (the one DynamoDB Local brings).
 * Jetty does the framing (Content-Length and chunked bodies, {@code Expect: 100-continue}, keep-alive, HEAD) and its
 * non-blocking connector holds no thread for a client that is slow to send its head or body; this class adds what
 * the platform needs on top: a deadline on every read and write ({@link ListenerLimits#idleTimeout()}), at most
 * {@link ListenerLimits#maxConnections()} connections served at once (a request on one more is answered 503), the
 * {@link Router}'s decision taken on the head before any body is read, and every answer the listener writes itself
 * (a malformed request line, header or escape, an over-long URL, a timeout) in MLflow's JSON error shape.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** The longest URL served: 64 KiB is far past what any MLflow client sends. */
    static final int MAX_URL_BYTES = 64 * 1024;
    /**
     * The longest head Jetty reads before it answers by itself and closes. Far above {@link #MAX_URL_BYTES}, so that
     * a client sending a megabyte of query string gets the JSON 414 from {@link Dispatch} after its request was read,
     * instead of a connection closed while it is still sending (which clients see as a reset, not as an answer).
     * Jetty parses a head incrementally, so the limit costs memory only for heads that are that long.
     */
    static final int MAX_HEAD_BYTES = 4 * 1024 * 1024;
    private static final int MAX_THREADS = 200;
    /** The most of an unread body the listener reads and drops to keep the connection; past it, it closes. */
    static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;
    private static final long REFUSAL_WARNING_NANOS = 10_000_000_000L;
    /** How Jetty's {@code Content.Source.asByteArrayAsync} fails a body over its limit. */
    private static final String TOO_LARGE = "accumulation too large";
    private static final String URL_TOO_LONG = "The URL is longer than " + MAX_URL_BYTES + " bytes; send long values "
            + "in a POST body instead of the query string";
    /** Framing is the listener's business, never a function's. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection", "date",
            "keep-alive");

    private final Server server;
    private final ServerConnector connector;
    private final ListenerLimits limits;
    private final String name;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastRefusalWarning = new AtomicLong(System.nanoTime() - REFUSAL_WARNING_NANOS);
    private volatile Router router;

    private HttpListener(Server server, ServerConnector connector, ListenerLimits limits, String name) {
        this.server = server;
        this.connector = connector;
        this.limits = limits;
        this.name = name;
    }

    /**
     * Binds 127.0.0.1:{@code port}; requests wait in the backlog until {@link #serve(Router)}.
     *
     * @param port   the TCP port, 0 for any free one
     * @param limits what one client gets
     * @param name   names the listener's threads and log lines
     * @throws java.io.UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     */
    public static HttpListener bind(int port, ListenerLimits limits, String name) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName(name);
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(1000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_HEAD_BYTES);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(256);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors());
        HttpListener listener = new HttpListener(server, connector, limits, name);
        connector.addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                listener.open.incrementAndGet();
            }

            @Override
            public void onClosed(Connection connection) {
                listener.open.decrementAndGet();
            }
        });
        try {
            connector.open();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return listener;
    }

    /** Starts passing requests to {@code routing}. */
    public synchronized void serve(Router routing) {
        if (router != null) {
            throw new IllegalStateException(name + " is already serving");
        }
        router = routing;
        server.setHandler(new Dispatch());
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(name + " could not start: " + e.getMessage(), e);
        }
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting, lets requests in progress finish for up to a second, then closes every connection. */
    @Override
    public void close() {
        try {
            if (server.isStarted()) {
                server.stop();
            } else {
                connector.close();
            }
        } catch (Exception e) {
            LOG.debug("{}: stopping: {}", name, e.toString());
        }
    }

    /** Every request: its head to the router, then its body and the function, or the router's answer. */
    private final class Dispatch extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (open.get() > limits.maxConnections()) {
                warnRefusal();
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                write(response, Exchanges.error(ErrorCode.TEMPORARILY_UNAVAILABLE, "The platform already holds "
                        + limits.maxConnections() + " connections; close idle ones or retry"), callback);
                return true;
            }
            if (request.getHttpURI().asString().length() > MAX_URL_BYTES) {
                writeUnread(request, response, Exchanges.error(414, ErrorCode.INVALID_PARAMETER_VALUE, URL_TOO_LONG,
                        Map.of()), callback);
                return true;
            }
            RequestHead head;
            try {
                head = head(request);
            } catch (IllegalArgumentException malformed) {
                writeUnread(request, response, Exchanges.error(ErrorCode.INVALID_PARAMETER_VALUE,
                        malformed.getMessage()), callback);
                return true;
            }
            Router.Routing routing;
            try {
                routing = router.route(head);
            } catch (RuntimeException e) {
                LOG.error("{}: routing {} {} failed", name, head.method(), head.path(), e);
                routing = new Router.Answer(internalError());
            }
            if (routing instanceof Router.Answer answer) {
                writeUnread(request, response, answer.response(), callback);
            } else {
                invoke(head, (Router.Invoke) routing, request, response, callback);
            }
            return true;
        }

        private void invoke(RequestHead head, Router.Invoke invoke, Request request, Response response,
                            Callback callback) {
            if (head.contentLength() > invoke.maxBodyBytes()) {
                writeUnread(request, response, invoke.tooLarge(), callback);
                return;
            }
            Content.Source.asByteArrayAsync(request, invoke.maxBodyBytes()).whenComplete((body, failure) -> {
                if (failure != null) {
                    write(response, bodyFailure(unwrap(failure), invoke), callback);
                    return;
                }
                HttpRequest call = new HttpRequest(head.method(), head.path(), head.query(), head.headers(), body,
                        "local");
                call(invoke, call).whenComplete((answer, failed) -> write(response, answerOf(answer, failed),
                        callback));
            });
        }

        private HttpResponse bodyFailure(Throwable failure, Router.Invoke invoke) {
            if (failure instanceof IOException && TOO_LARGE.equals(failure.getMessage())) {
                return invoke.tooLarge(); // a chunked body grew past maxBodyBytes while read
            }
            if (failure instanceof TimeoutException) {
                return Exchanges.error(408, ErrorCode.INVALID_PARAMETER_VALUE, "The request body did not arrive "
                        + "within " + limits.idleTimeout().toMillis() + " ms", Map.of("Connection", "close"));
            }
            if (failure instanceof HttpException http && http.getCode() < 500) {
                return Exchanges.error(http.getCode(), ErrorCode.INVALID_PARAMETER_VALUE, "Malformed request body: "
                        + failure.getMessage(), Map.of("Connection", "close"));
            }
            LOG.debug("{}: reading a request body failed: {}", name, failure.toString());
            return Exchanges.error(400, ErrorCode.INVALID_PARAMETER_VALUE, "The request body could not be read: "
                    + failure.getMessage(), Map.of("Connection", "close"));
        }

        private CompletableFuture<HttpResponse> call(Router.Invoke invoke, HttpRequest request) {
            try {
                CompletionStage<HttpResponse> stage = invoke.function().apply(request);
                return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
            } catch (RuntimeException e) {
                LOG.error("{}: {} {} failed", name, request.method(), request.path(), e);
                return CompletableFuture.completedFuture(internalError());
            }
        }
    }

    private void warnRefusal() {
        long last = lastRefusalWarning.get();
        long now = System.nanoTime();
        if (now - last >= REFUSAL_WARNING_NANOS && lastRefusalWarning.compareAndSet(last, now)) {
            LOG.warn("{}: {} connections are open, the most this listener serves; refusing more (logged once in "
                    + "10 s)", name, limits.maxConnections());
        }
    }

    /** The head a router decides on: the decoded path (no control characters), the decoded query, the headers. */
    static RequestHead head(Request request) {
        String path = request.getHttpURI().getDecodedPath();
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("The request target must be a path starting with /");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("Malformed request path: " + (c == 0
                        ? "a NUL character is not allowed in a path" : "control character " + (int) c
                        + " is not allowed in a path"));
            }
        }
        Map<String, java.util.List<String>> query;
        try {
            query = QueryString.parse(request.getHttpURI().getQuery());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Malformed query string: " + e.getMessage()
                    + " (a % must be followed by two hexadecimal digits; send a literal % as %25)");
        }
        Map<String, String> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue() == null ? "" : field.getValue(),
                    (earlier, value) -> earlier + "," + value);
        }
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        boolean http10 = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0;
        return new RequestHead(request.getMethod(), path, query, http10, headers, chunked ? -1 : request.getLength(),
                chunked);
    }

    /**
     * Answers a request whose body was not read (refused on its head, or announced too large). The body is read and
     * dropped first, up to {@value #MAX_DRAINED_BYTES} bytes, so that the client, still sending, gets the answer and
     * the connection stays usable for its next request; past that the answer says {@code Connection: close} and the
     * connection closes after it (a client sending gigabytes learns so at once), as it does when the body stops
     * arriving (the idle timeout).
     */
    private static void writeUnread(Request request, Response response, HttpResponse answer, Callback callback) {
        HttpFields fields = request.getHeaders();
        if (fields.getLongField(HttpHeader.CONTENT_LENGTH) <= 0 && !fields.contains(HttpHeader.TRANSFER_ENCODING)) {
            write(response, answer, callback);
            return;
        }
        if (fields.getLongField(HttpHeader.CONTENT_LENGTH) > MAX_DRAINED_BYTES) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            write(response, answer, callback);
            return;
        }
        new Runnable() {
            private long drained;

            @Override
            public void run() {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    boolean failed = Content.Chunk.isFailure(chunk);
                    boolean last = chunk.isLast();
                    drained += chunk.remaining();
                    chunk.release();
                    if (failed || drained > MAX_DRAINED_BYTES) {
                        response.getHeaders().put(HttpHeader.CONNECTION, "close");
                        write(response, answer, callback);
                        return;
                    }
                    if (last) {
                        write(response, answer, callback);
                        return;
                    }
                }
            }
        }.run();
    }

    private static void write(Response response, HttpResponse answer, Callback callback) {
        int status = answer.status();
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        answer.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("connection") && value.equalsIgnoreCase("close")) {
                headers.put(HttpHeader.CONNECTION, "close");
            } else if (!FRAMING.contains(lower) && isToken(name)) {
                headers.put(name, singleLine(value));
            }
        });
        boolean bodyless = status < 200 || status == 204 || status == 304;
        response.write(true, bodyless ? null : ByteBuffer.wrap(answer.body()), callback);
    }

    private static HttpResponse answerOf(HttpResponse answer, Throwable failure) {
        if (failure == null && answer != null) {
            return answer;
        }
        LOG.error("A handler failed{}", failure == null ? " to give a response" : "", unwrap(failure));
        return internalError();
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static HttpResponse internalError() {
        return Exchanges.error(ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details");
    }

    /** A header value cannot end the header: CR and LF from a function become spaces. */
    private static String singleLine(String value) {
        return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 ? value : value.replace('\r', ' ').replace('\n', ' ');
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * What Jetty answers itself (a malformed request line or header, a bad escape in the path, a head over
     * {@link #MAX_HEAD_BYTES}, a timeout): the same status, in MLflow's JSON error shape instead of an HTML page.
     */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 500;
            Object message = request.getAttribute(ERROR_MESSAGE);
            if (request.getAttribute(ERROR_EXCEPTION) instanceof Throwable cause && cause.getMessage() != null
                    && (message == null || message.toString().equals(HttpStatus.getMessage(status)))) {
                message = cause.getMessage();
            }
            HttpResponse answer = Exchanges.error(status, codeOf(status), describe(status, message), Map.of());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
            return ByteBuffer.wrap(Exchanges.error(status, codeOf(status), describe(status, reason), Map.of()).body());
        }

        private static ErrorCode codeOf(int status) {
            return switch (status) {
                case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
                case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
                case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
                default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_PARAMETER_VALUE;
            };
        }

        private static String describe(int status, Object message) {
            String text = message == null ? "" : message.toString();
            if (status == 414 || status == 431) {
                return "The request line or headers are longer than " + MAX_HEAD_BYTES + " bytes; " + URL_TOO_LONG;
            }
            if (status == 400 && (text.isBlank() || text.endsWith(HttpStatus.getMessage(400)))) {
                return "Malformed request: the request line, a header or the path is not valid HTTP (a bad % escape, "
                        + "a NUL or control character, or a character that must be percent-encoded)";
            }
            return text.isBlank() ? "Malformed request (HTTP " + status + ")" : "Malformed request: " + text;
        }
    }
}
