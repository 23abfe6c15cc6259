package io.capstan.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The lines of an object that start in {@code [start, end)}, read from a stream that begins at byte
 * {@code max(0, start - 1)}: a line that began before {@code start} is the previous range's and is skipped; the last
 * line that begins before {@code end} is read to its end, past {@code end}. So consecutive ranges read every line of an
 * object exactly once. Line ends are {@code \n} or {@code \r\n}; the text is UTF-8.
 */
public final class LineRange implements AutoCloseable {
    /** The longest line read: longer ones are refused rather than held in memory. */
    public static final int MAX_LINE_BYTES = 8 << 20;

    private final InputStream in;
    private final long end;
    private long position;
    /** Bytes read ahead of the line being scanned: {@code buffer[next, limit)}. */
    private final byte[] buffer = new byte[1 << 16];
    private int next;
    private int limit;
    private byte[] line = new byte[256];
    private int length;

    /** One line and where it starts in the object. */
    public record Line(long offset, String text) {
    }

    public LineRange(InputStream in, long start, long end) throws IOException {
        this.in = in;
        this.end = end;
        this.position = Math.max(0, start - 1);
        if (start > 0) {
            // the byte before the range: a line starts at `start` only if it is a line end
            skipToLineEnd();
        }
    }

    /**
     * The first line of an object (a CSV header), its byte-order mark removed, read from a stream of at most
     * {@code maxBytes} of its start.
     *
     * @return empty when the object has no line, or only a blank one
     * @throws IllegalArgumentException when the line is longer than the stream allows
     */
    public static Optional<String> firstLine(InputStream in, int maxBytes) throws IOException {
        try (LineRange lines = new LineRange(in, 0, 1)) {
            Line first = lines.next();
            if (first == null) {
                return Optional.empty();
            }
            if (first.text().getBytes(StandardCharsets.UTF_8).length >= maxBytes - 2) {
                throw new IllegalArgumentException("the first line is longer than " + maxBytes + " bytes");
            }
            String text = first.text().startsWith("\uFEFF") ? first.text().substring(1) : first.text();
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        }
    }

    /** The next line starting before the range's end; null when there is none. */
    public Line next() throws IOException {
        while (position < end) {
            long offset = position;
            length = 0;
            boolean ended = false;
            while (next < limit || fill()) {
                int from = next;
                while (next < limit && buffer[next] != '\n') {
                    next++;
                }
                append(from, next - from, offset);
                position += next - from;
                if (next < limit) {
                    next++;
                    position++;
                    ended = true;
                    break;
                }
            }
            if (!ended && length == 0) {
                return null;
            }
            int text = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            String value = new String(line, 0, text, StandardCharsets.UTF_8);
            if (!value.isBlank()) {
                return new Line(offset, value);
            }
            if (!ended) {
                return null;
            }
        }
        return null;
    }

    /** Adds {@code buffer[from, from + count)} to the line, refusing a line longer than {@value #MAX_LINE_BYTES}. */
    private void append(int from, int count, long offset) {
        if (length + count > MAX_LINE_BYTES) {
            throw new IllegalStateException("the line at byte " + offset + " is longer than " + MAX_LINE_BYTES
                    + " bytes");
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(buffer, from, line, length, count);
        length += count;
    }

    /** Reads the next bytes into the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        next = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }

    private void skipToLineEnd() throws IOException {
        while (next < limit || fill()) {
            byte b = buffer[next++];
            position++;
            if (b == '\n') {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
