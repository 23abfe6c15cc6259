package io.capstan.local.internal;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A request body as it comes off the connection, by its Content-Length or in chunks, ending where the request ends
 * so the connection can carry the next one. Reading is bounded by the caller's deadline on {@link SocketInput}.
 */
final class RequestBody {
    private static final int MAX_CHUNK_LINE = 1024;

    private final SocketInput in;
    private final boolean chunked;
    private long remaining;
    private boolean needsCrLf;
    private boolean ended;

    private RequestBody(SocketInput in, boolean chunked, long length) {
        this.in = in;
        this.chunked = chunked;
        this.remaining = chunked ? 0 : Math.max(0, length);
        this.ended = !chunked && remaining == 0;
    }

    static RequestBody of(SocketInput in, RequestHead head) {
        return new RequestBody(in, head.chunked(), head.contentLength());
    }

    /** The whole body, or null when it is longer than {@code limit} bytes (then part of it has been read). */
    byte[] readUpTo(int limit) throws IOException {
        if (!chunked) {
            if (remaining > limit) {
                return null;
            }
            byte[] body = new byte[(int) remaining];
            in.readFully(body, 0, body.length);
            remaining = 0;
            ended = true;
            return body;
        }
        byte[] body = new byte[Math.min(limit + 1, 64 * 1024)];
        int length = 0;
        while (true) {
            if (length == body.length) {
                if (length > limit) {
                    return null;
                }
                body = Arrays.copyOf(body, Math.min(limit + 1, body.length * 2));
            }
            int read = read(body, length, body.length - length);
            if (read < 0) {
                return length > limit ? null : Arrays.copyOf(body, length);
            }
            length += read;
        }
    }

    /**
     * Reads and throws away what is left, up to {@code maxBytes}.
     *
     * @return whether the body ended (the connection can carry another request)
     */
    boolean discard(long maxBytes) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long left = maxBytes;
        while (left > 0) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, left));
            if (read < 0) {
                return true;
            }
            left -= read;
        }
        return ended;
    }

    private int read(byte[] target, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        if (remaining == 0) {
            if (!chunked || !nextChunk()) {
                ended = true;
                return -1;
            }
        }
        int read = in.read(target, offset, (int) Math.min(length, remaining));
        if (read < 0) {
            throw new EOFException("the client closed the connection in the middle of a body");
        }
        remaining -= read;
        if (!chunked && remaining == 0) {
            ended = true;
        }
        return read;
    }

    /** Reads the next chunk's size line; false after the last chunk and its trailers. */
    private boolean nextChunk() throws IOException {
        if (needsCrLf) {
            String end = line();
            if (!end.isEmpty()) {
                throw new BadBody("a chunk is not followed by CR LF");
            }
        }
        String sizeLine = line();
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new BadBody("malformed chunk size " + HeadParser.printable(sizeLine));
        }
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
            int trailerBytes = 0;
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                trailerBytes += trailer.length();
                if (trailerBytes > HeadParser.MAX_HEADER_BYTES) {
                    throw new BadBody("the trailers are longer than " + HeadParser.MAX_HEADER_BYTES + " bytes");
                }
            }
            return false;
        }
        remaining = size;
        needsCrLf = true;
        return true;
    }

    private String line() throws IOException {
        String line;
        try {
            line = in.readLine(MAX_CHUNK_LINE);
        } catch (SocketInput.LineTooLong e) {
            throw new BadBody("a chunk size line is longer than " + MAX_CHUNK_LINE + " bytes");
        }
        if (line == null) {
            throw new EOFException("the client closed the connection in the middle of a chunked body");
        }
        return line;
    }

    /** A body that does not follow the chunked coding: the connection cannot be trusted with another request. */
    static final class BadBody extends IOException {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message);
        }
    }
}
