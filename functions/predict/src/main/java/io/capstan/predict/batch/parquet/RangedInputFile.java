package io.capstan.predict.batch.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet object read through ranged GETs: each seek that leaves the open range starts a new one, bounded so that no
 * request reads far past what the reader wants. Inside the chunk's window (its row groups) a range runs to the window's
 * end, where the reader reads whole column chunks; outside it (the footer) to the object's end.
 */
public final class RangedInputFile implements InputFile {
    /** Opens the object's bytes {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeOpener {
        InputStream open(long from, long to) throws IOException;
    }

    /** A forward seek shorter than this reads on instead of starting a new request. */
    private static final long SKIP_LIMIT = 64 * 1024;

    private final long length;
    private final long windowStart;
    private final long windowEnd;
    private final RangeOpener opener;

    /**
     * @param length the object's size
     * @param windowStart the chunk's first byte
     * @param windowEnd the byte after the chunk
     */
    public RangedInputFile(long length, long windowStart, long windowEnd, RangeOpener opener) {
        this.length = length;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.opener = opener;
    }

    /** A Parquet file held in memory (a part read back, a test's fixture), read whole. */
    public static RangedInputFile inMemory(byte[] bytes) {
        return new RangedInputFile(bytes.length, 0, bytes.length,
                (from, to) -> new ByteArrayInputStream(bytes, (int) from, (int) (to - from)));
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        Ranges ranges = new Ranges();
        return new DelegatingSeekableInputStream(ranges) {
            @Override
            public long getPos() {
                return ranges.position;
            }

            @Override
            public void seek(long position) throws IOException {
                ranges.seek(position);
            }
        };
    }

    private final class Ranges extends InputStream {
        private long position;
        private long rangeEnd;
        private InputStream open;

        void seek(long to) throws IOException {
            if (to == position) {
                return;
            }
            if (open != null && to > position && to - position <= SKIP_LIMIT && to < rangeEnd) {
                open.skipNBytes(to - position);
            } else {
                close();
            }
            position = to;
        }

        private InputStream current() throws IOException {
            if (open == null) {
                rangeEnd = position >= windowStart && position < windowEnd ? windowEnd : length;
                open = opener.open(position, rangeEnd);
            }
            return open;
        }

        @Override
        public int read() throws IOException {
            if (position >= length) {
                return -1;
            }
            int b = current().read();
            if (b >= 0) {
                position++;
                reopenAtRangeEnd();
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            if (position >= length) {
                return -1;
            }
            int n = current().read(bytes, offset, count);
            if (n > 0) {
                position += n;
                reopenAtRangeEnd();
            }
            return n;
        }

        /** A range read to its end gives way to the next one, so reading across the window's edge goes on. */
        private void reopenAtRangeEnd() throws IOException {
            if (position >= rangeEnd) {
                close();
            }
        }

        @Override
        public void close() throws IOException {
            if (open != null) {
                InputStream closing = open;
                open = null;
                closing.close();
            }
        }
    }
}
