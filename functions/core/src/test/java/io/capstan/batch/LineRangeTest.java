package io.capstan.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Consecutive byte ranges of an object read each of its lines exactly once, whatever the range size: ranges that
 * start inside a line, on a line end, on a blank line, with {@code \r\n} endings and without a final line end.
 */
class LineRangeTest {

    @Test
    void everySplit_readsEachLineOnce_inOrder() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            StringBuilder text = new StringBuilder();
            List<String> expected = new ArrayList<>();
            int lines = 1 + random.nextInt(40);
            for (int i = 0; i < lines; i++) {
                String line = "row-" + i + ",".repeat(random.nextInt(5)) + "é".repeat(random.nextInt(3));
                if (random.nextInt(10) == 0) {
                    text.append(random.nextBoolean() ? "\n" : "\r\n"); // a blank line: not a row
                }
                text.append(line);
                expected.add(line);
                if (i < lines - 1 || random.nextBoolean()) {
                    text.append(random.nextBoolean() ? "\n" : "\r\n");
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            int size = 1 + random.nextInt(Math.max(1, bytes.length));
            List<String> read = new ArrayList<>();
            for (long start = 0; start < bytes.length; start += size) {
                long end = Math.min(bytes.length, start + size);
                long from = Math.max(0, start - 1);
                try (LineRange range = new LineRange(new ByteArrayInputStream(bytes, (int) from,
                        bytes.length - (int) from), start, end)) {
                    for (LineRange.Line line = range.next(); line != null; line = range.next()) {
                        assertThat(line.offset()).isBetween(start, end - 1);
                        read.add(line.text());
                    }
                }
            }
            assertThat(read).as("trial %d, ranges of %d bytes over %s", trial, size, text).isEqualTo(expected);
        }
    }

    @Test
    void aLineLongerThanTheLimit_isRefused_notHeld() {
        byte[] bytes = ("x".repeat(LineRange.MAX_LINE_BYTES + 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (LineRange range = new LineRange(new ByteArrayInputStream(bytes), 0, bytes.length)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(range::next)
                    .hasMessageContaining("longer than " + LineRange.MAX_LINE_BYTES);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void firstLine_dropsAByteOrderMark_andRefusesALineLongerThanItsRead() throws IOException {
        byte[] bom = "\uFEFFa,b\r\n1,2\n".getBytes(StandardCharsets.UTF_8);

        assertThat(LineRange.firstLine(new ByteArrayInputStream(bom), 1 << 10)).contains("a,b");
        assertThat(LineRange.firstLine(new ByteArrayInputStream(new byte[0]), 1 << 10)).isEmpty();
        assertThat(LineRange.firstLine(new ByteArrayInputStream("  \n1\n".getBytes(StandardCharsets.UTF_8)), 1 << 10))
                .isEmpty();
        byte[] cut = "abcdefghij".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LineRange.firstLine(new ByteArrayInputStream(cut),
                cut.length)).isInstanceOf(IllegalArgumentException.class);
    }
}
