package io.capstan.local.internal;

import io.capstan.error.ErrorCode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads a request, asks the router, reads the body, writes the response, and again while the
 * client keeps the connection. Every read has a deadline; a response still being computed releases the thread and
 * the connection carries on on another one when the response is ready.
 */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** What is read and thrown away of a body nobody wants, so the client gets its answer instead of a reset. */
    private static final long DRAIN_LIMIT = 1L << 30;
    /** A refused request's body is read past only when it is this small; otherwise the connection closes. */
    private static final long REFUSED_BODY_LIMIT = 8L << 20;
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final long LINGER_BYTES = 16L << 20;

    private final Socket socket;
    private final SocketInput in;
    private final OutputStream out;
    private final HttpListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long writeDeadline;
    private volatile boolean busy;
    private boolean first = true;

    Connection(Socket socket, HttpListener listener) throws IOException {
        this.socket = socket;
        this.in = new SocketInput(socket);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.listener = listener;
    }

    private enum Step { NEXT, CLOSE, SUSPENDED }

    @Override
    public void run() {
        try {
            Step step;
            do {
                step = serveOne();
            } while (step == Step.NEXT);
            if (step == Step.SUSPENDED) {
                return;
            }
        } catch (SocketTimeoutException timedOut) {
            LOG.debug("{}: closing a connection that was too slow: {}", listener.name(), timedOut.getMessage());
        } catch (IOException gone) {
            LOG.debug("{}: connection ended: {}", listener.name(), gone.toString());
        } catch (RuntimeException e) {
            LOG.warn("{}: connection failed", listener.name(), e);
        }
        close();
    }

    /** Whether a request is between its head and its response. */
    boolean busy() {
        return busy;
    }

    /** Whether a response write has been going on for longer than the body timeout. */
    boolean writeOverdue(long now) {
        long deadline = writeDeadline;
        return deadline != 0 && now - deadline > 0;
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing a connection: {}", e.toString());
            }
            listener.released(this);
        }
    }

    private Step serveOne() throws IOException {
        in.deadlineIn(first ? listener.limits().headerTimeout() : listener.limits().idleTimeout());
        first = false;
        if (!in.awaitByte()) {
            return Step.CLOSE;
        }
        in.deadlineIn(listener.limits().headerTimeout());
        HeadParser.Outcome outcome = HeadParser.read(in);
        if (outcome instanceof HeadParser.Closed) {
            return Step.CLOSE;
        }
        if (outcome instanceof HeadParser.Malformed malformed) {
            respond(Exchanges.error(ErrorCode.INVALID_PARAMETER_VALUE, malformed.message()), false, false, false);
            lingerAndClose();
            return Step.CLOSE;
        }
        RequestHead head = (RequestHead) outcome;
        busy = true;
        Router.Routing routing;
        try {
            routing = listener.router().route(head);
        } catch (RuntimeException e) {
            LOG.error("{}: routing {} {} failed", listener.name(), head.method(), head.path(), e);
            routing = new Router.Answer(internalError());
        }
        if (routing instanceof Router.Invoke invoke) {
            return invoke(head, invoke);
        }
        HttpResponse answer = ((Router.Answer) routing).response();
        return finish(head, answer, head.keepAlive() && discardRefusedBody(head));
    }

    private Step invoke(RequestHead head, Router.Invoke invoke) throws IOException {
        RequestBody body = RequestBody.of(in, head);
        if (!head.chunked() && head.contentLength() > invoke.maxBodyBytes()) {
            boolean ended = false;
            if (!head.expectsContinue() && head.contentLength() <= DRAIN_LIMIT) {
                in.deadlineIn(listener.limits().bodyTimeout());
                ended = body.discard(DRAIN_LIMIT);
            }
            return finish(head, invoke.tooLarge(), ended && head.keepAlive());
        }
        if (head.expectsContinue()) {
            ResponseWriter.writeContinue(out);
        }
        in.deadlineIn(listener.limits().bodyTimeout());
        byte[] bytes;
        try {
            bytes = body.readUpTo(invoke.maxBodyBytes());
        } catch (RequestBody.BadBody bad) {
            return finish(head, Exchanges.error(ErrorCode.INVALID_PARAMETER_VALUE, "Malformed chunked body: "
                    + bad.getMessage()), false);
        }
        if (bytes == null) {
            return finish(head, invoke.tooLarge(), body.discard(DRAIN_LIMIT) && head.keepAlive());
        }
        HttpRequest request = new HttpRequest(head.method(), head.path(), head.query(), head.headers(), bytes, "local");
        CompletableFuture<HttpResponse> answer = call(invoke, request);
        boolean keepAlive = head.keepAlive();
        if (answer.isDone()) {
            return finish(head, responseOf(answer), keepAlive);
        }
        answer.whenComplete((response, failure) -> listener.resume(this, () -> {
            try {
                if (finish(head, responseOf(answer), keepAlive) == Step.NEXT) {
                    run();
                    return;
                }
            } catch (IOException gone) {
                LOG.debug("{}: connection ended: {}", listener.name(), gone.toString());
            }
            close();
        }));
        return Step.SUSPENDED;
    }

    private CompletableFuture<HttpResponse> call(Router.Invoke invoke, HttpRequest request) {
        try {
            CompletionStage<HttpResponse> stage = invoke.function().apply(request);
            return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.error("{}: {} {} failed", listener.name(), request.method(), request.path(), e);
            return CompletableFuture.completedFuture(internalError());
        }
    }

    private Step finish(RequestHead head, HttpResponse response, boolean keepAlive) throws IOException {
        respond(response, "HEAD".equals(head.method()), keepAlive, head.http10());
        busy = false;
        if (keepAlive) {
            return Step.NEXT;
        }
        lingerAndClose();
        return Step.CLOSE;
    }

    private void respond(HttpResponse response, boolean headRequest, boolean keepAlive, boolean http10)
            throws IOException {
        writeDeadline = System.nanoTime() + listener.limits().bodyTimeout().toNanos();
        try {
            ResponseWriter.write(out, response, headRequest, keepAlive, http10);
        } finally {
            writeDeadline = 0;
        }
    }

    /** Reads past a small body of a request answered without it, so the connection can carry the next request. */
    private boolean discardRefusedBody(RequestHead head) throws IOException {
        if (!head.hasBody()) {
            return true;
        }
        if (head.expectsContinue() || head.contentLength() > REFUSED_BODY_LIMIT) {
            return false;
        }
        in.deadlineIn(listener.limits().bodyTimeout());
        try {
            return RequestBody.of(in, head).discard(REFUSED_BODY_LIMIT);
        } catch (RequestBody.BadBody bad) {
            return false;
        }
    }

    /**
     * Closes after an answer sent before the request was read to its end: the client may still be sending, and a
     * close with unread bytes resets the connection, which can lose the answer before the client reads it. So the
     * sending side is shut first and what still arrives is read and dropped, for a short while.
     */
    private void lingerAndClose() {
        try {
            socket.shutdownOutput();
            in.deadlineIn(LINGER);
            byte[] scratch = new byte[64 * 1024];
            long left = LINGER_BYTES;
            int read;
            while (left > 0 && (read = in.read(scratch, 0, (int) Math.min(scratch.length, left))) >= 0) {
                left -= read;
            }
        } catch (IOException e) {
            LOG.debug("{}: lingering close: {}", listener.name(), e.toString());
        }
        close();
    }

    private static HttpResponse responseOf(CompletableFuture<HttpResponse> answer) {
        try {
            HttpResponse response = answer.join();
            if (response != null) {
                return response;
            }
            LOG.error("A handler returned no response");
        } catch (RuntimeException e) {
            LOG.error("A handler failed", e);
        }
        return internalError();
    }

    private static HttpResponse internalError() {
        return Exchanges.error(ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details");
    }
}
