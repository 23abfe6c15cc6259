package io.capstan.predict.batch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines of an object that start in {@code [start, end)}, read from a stream that begins at byte
 * {@code max(0, start - 1)}: a line that began before {@code start} is the previous range's and is skipped; the last
 * line that begins before {@code end} is read to its end, past {@code end}. So consecutive ranges read every line of an
 * object exactly once. Line ends are {@code \n} or {@code \r\n}; the text is UTF-8.
 */
final class LineRange implements AutoCloseable {
    /** The longest line read: longer ones are refused rather than held in memory. */
    static final int MAX_LINE_BYTES = 8 << 20;

    private final InputStream in;
    private final long end;
    private long position;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    /** One line and where it starts in the object. */
    record Line(long offset, String text) {
    }

    LineRange(InputStream in, long start, long end) throws IOException {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.end = end;
        this.position = Math.max(0, start - 1);
        if (start > 0) {
            // the byte before the range: a line starts at `start` only if it is a line end
            skipToLineEnd();
        }
    }

    /** The next line starting before the range's end; null when there is none. */
    Line next() throws IOException {
        while (position < end) {
            long offset = position;
            line.reset();
            boolean ended = false;
            int b;
            while ((b = in.read()) >= 0) {
                position++;
                if (b == '\n') {
                    ended = true;
                    break;
                }
                if (line.size() == MAX_LINE_BYTES) {
                    throw new IllegalStateException("the line at byte " + offset + " is longer than " + MAX_LINE_BYTES
                            + " bytes");
                }
                line.write(b);
            }
            if (!ended && line.size() == 0) {
                return null;
            }
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                return new Line(offset, text);
            }
            if (!ended) {
                return null;
            }
        }
        return null;
    }

    private void skipToLineEnd() throws IOException {
        int b;
        while ((b = in.read()) >= 0) {
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
