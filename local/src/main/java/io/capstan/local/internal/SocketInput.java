package io.capstan.local.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A connection's input, buffered, where every read must finish before one deadline: each read waits at most what is
 * left of it, so a client trickling a byte at a time still runs out of time.
 */
final class SocketInput {
    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private long deadline;

    SocketInput(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = System.nanoTime();
    }

    /** Reads from now on must be done within {@code timeout}. */
    void deadlineIn(Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos();
    }

    /** Whether bytes already read from the socket wait in the buffer (a pipelined request). */
    boolean hasBuffered() {
        return position < limit;
    }

    /** Waits for the next byte without consuming it; false at the end of the stream. */
    boolean awaitByte() throws IOException {
        return hasBuffered() || fill();
    }

    /** One byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (!hasBuffered() && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Up to {@code length} bytes into {@code target}, or -1 at the end of the stream. */
    int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!hasBuffered() && !fill()) {
            return -1;
        }
        int count = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, count);
        position += count;
        return count;
    }

    /** Exactly {@code length} bytes into {@code target}. */
    void readFully(byte[] target, int offset, int length) throws IOException {
        while (length > 0) {
            int read = read(target, offset, length);
            if (read < 0) {
                throw new EOFException("the client closed the connection in the middle of a body");
            }
            offset += read;
            length -= read;
        }
    }

    /**
     * A line without its CR LF (a bare LF ends one too), decoded as ISO-8859-1; null at the end of the stream before
     * any byte of it.
     *
     * @throws LineTooLong when the line is longer than {@code maxBytes}
     */
    String readLine(int maxBytes) throws IOException {
        byte[] line = new byte[Math.min(maxBytes, 256)];
        int length = 0;
        while (true) {
            if (!hasBuffered() && !fill()) {
                if (length == 0) {
                    return null;
                }
                throw new EOFException("the client closed the connection in the middle of a line");
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int chunk = position - start;
            if (length + chunk > maxBytes) {
                throw new LineTooLong(maxBytes);
            }
            if (length + chunk > line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(maxBytes, Math.max(line.length * 2, length + chunk)));
            }
            System.arraycopy(buffer, start, line, length, chunk);
            length += chunk;
            if (position < limit) {
                position++; // the LF
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
        }
    }

    private boolean fill() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("the client took too long");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        int read = in.read(buffer, 0, buffer.length);
        if (read < 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    /** A line over its limit. */
    static final class LineTooLong extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLong(int maxBytes) {
            super("a line of the request is longer than " + maxBytes + " bytes");
        }
    }
}
