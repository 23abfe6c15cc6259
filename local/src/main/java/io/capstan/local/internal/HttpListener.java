package io.capstan.local.internal;

import io.capstan.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 listener on 127.0.0.1 for the local platform, in place of the JDK's {@code com.sun.net.httpserver},
 * which reads a request's head on a pool thread with no deadline (so a few clients sending half their headers starve
 * everyone else) and answers a malformed URL with an HTML page before any handler sees it.
 *
 * <p>Here each connection holds at most one thread, at most {@link ListenerLimits#maxConnections()} connections are
 * open at once (one more is answered 503 and closed), every read has a deadline ({@link ListenerLimits}), a response
 * write that stalls past the body timeout is cut off, and every answer the listener writes itself is JSON in MLflow's
 * shape. Bodies come by Content-Length or chunked; {@code Expect: 100-continue} is honoured; responses always carry
 * a Content-Length.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    private static final int BACKLOG = 256;
    private static final long REFUSAL_WARNING_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ServerSocket server;
    private final ListenerLimits limits;
    private final String name;
    private final Semaphore slots;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private final ScheduledExecutorService reaper;
    private final AtomicLong lastRefusalWarning = new AtomicLong(System.nanoTime() - REFUSAL_WARNING_NANOS);
    private volatile Router router;
    private volatile boolean closed;
    private Thread acceptor;

    private HttpListener(ServerSocket server, ListenerLimits limits, String name) {
        this.server = server;
        this.limits = limits;
        this.name = name;
        this.slots = new Semaphore(limits.maxConnections());
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> daemon(task, name + "-" + count.incrementAndGet()));
        this.reaper = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, name + "-reaper"));
    }

    /**
     * Binds 127.0.0.1:{@code port}; requests wait in the backlog until {@link #serve(Router)}.
     *
     * @param port   the TCP port, 0 for any free one
     * @param limits what one client gets
     * @param name   names the listener's threads and log lines
     * @throws UncheckedIOException wrapping a {@link java.net.BindException} when the port is taken
     */
    public static HttpListener bind(int port, ListenerLimits limits, String name) {
        ServerSocket server = null;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
            return new HttpListener(server, limits, name);
        } catch (IOException e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Starts accepting connections and passing their requests to {@code router}. */
    public synchronized void serve(Router routing) {
        if (acceptor != null) {
            throw new IllegalStateException(name + " is already serving");
        }
        this.router = routing;
        acceptor = daemon(this::accept, name + "-accept");
        acceptor.start();
        long tick = Math.max(100, Math.min(1000, limits.bodyTimeout().toMillis() / 4));
        reaper.scheduleWithFixedDelay(this::cutOffStalledWrites, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Stops accepting, lets requests in progress finish for up to a second, then closes every connection and stops
     * the threads.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the server socket: {}", name, e.toString());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (connections.stream().anyMatch(Connection::busy) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        connections.forEach(Connection::close);
        reaper.shutdownNow();
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
            if (acceptor != null) {
                acceptor.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    ListenerLimits limits() {
        return limits;
    }

    Router router() {
        return router;
    }

    String name() {
        return name;
    }

    /** Carries a connection on on a thread of the listener once its response is ready. */
    void resume(Connection connection, Runnable continuation) {
        try {
            threads.execute(continuation);
        } catch (RejectedExecutionException stopping) {
            connection.close();
        }
    }

    void released(Connection connection) {
        if (connections.remove(connection)) {
            slots.release();
        }
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: accepting a connection failed: {}", name, e.toString());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // out of file descriptors, say
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                refuse(socket);
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
                Connection connection = new Connection(socket, this);
                connections.add(connection);
                try {
                    threads.execute(connection);
                } catch (RejectedExecutionException stopping) {
                    connection.close();
                }
            } catch (IOException e) {
                slots.release();
                closeQuietly(socket);
            }
        }
    }

    /** One connection too many: a 503 in MLflow's shape, and the connection closed. */
    private void refuse(Socket socket) {
        long last = lastRefusalWarning.get();
        long now = System.nanoTime();
        if (now - last >= REFUSAL_WARNING_NANOS && lastRefusalWarning.compareAndSet(last, now)) {
            LOG.warn("{}: {} connections are open, the most this listener holds; refusing more (logged once in 10 s)",
                    name, limits.maxConnections());
        }
        try {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            ResponseWriter.write(out, Exchanges.error(ErrorCode.TEMPORARILY_UNAVAILABLE, "The platform already holds "
                    + limits.maxConnections() + " connections; close idle ones or retry"), false, false, false);
            socket.shutdownOutput();
            socket.getInputStream().skip(socket.getInputStream().available());
        } catch (IOException e) {
            LOG.debug("{}: refusing a connection: {}", name, e.toString());
        }
        closeQuietly(socket);
    }

    private void cutOffStalledWrites() {
        long now = System.nanoTime();
        for (Connection connection : connections) {
            if (connection.writeOverdue(now)) {
                LOG.warn("{}: a client has not read its response for {}; closing its connection", name,
                        limits.bodyTimeout());
                connection.close();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a socket: {}", e.toString());
        }
    }

    private static Thread daemon(Runnable task, String threadName) {
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        return thread;
    }
}
