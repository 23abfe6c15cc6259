package io.capstan.predict.batch.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet files as pyarrow 25 writes them (src/test/resources/parquet/make_fixtures.py: every codec pandas offers but
 * brotli, data pages v1 and v2, dictionary and plain encodings, four row groups, nulls, NaN, dates, timestamps with
 * and without a zone, INT96, decimals, 32-bit floats) read through ranged reads: every value as the fixture's JSON
 * lines give it; a window reads only the row groups that start in it, numbered from the object's start; what Capstan
 * does not read is refused, naming the column or the codec.
 */
class ParquetRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/parquet");

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "gzip", "lz4", "none-v2-pages", "plain-no-dictionary"})
    void pyarrowsFiles_giveEveryValue_asTheirRowsSay(String variant) throws Exception {
        List<JsonNode> expected = expectedRows();
        List<Object[]> rows = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        byte[] bytes = Files.readAllBytes(FIXTURES.resolve("customers-" + variant + ".parquet"));
        List<String> columns;
        try (ParquetRows parquet = ParquetRows.open(file(bytes, 0, bytes.length, new ArrayList<>()), variant)) {
            columns = parquet.columnNames();
            assertThat(parquet.rowGroupStarts()).hasSize(4);
            assertThat(parquet.rowCount()).isEqualTo(expected.size());
            assertThat(parquet.isIntegerColumn("customer_id")).isTrue();
            assertThat(parquet.isIntegerColumn("birthday")).as("a date").isFalse();
            long read = parquet.read(0, bytes.length, (index, values) -> {
                indexes.add(index);
                rows.add(values);
            });
            assertThat(read).isEqualTo(expected.size());
        }
        assertThat(columns).containsExactly("customer_id", "age", "income", "ratio", "score32", "segment", "active",
                "signed_up", "birthday", "balance", "visited");
        assertThat(indexes).containsExactlyElementsOf(java.util.stream.LongStream.range(0, expected.size()).boxed()
                .toList());
        for (int r = 0; r < expected.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                assertValue(rows.get(r)[c], expected.get(r).get(columns.get(c)), variant + " row " + r + " "
                        + columns.get(c));
            }
        }
        assertThat(rows.get(1)[7]).isEqualTo("2026-01-02T00:00:00.123456Z");
        assertThat(rows.get(1)[10]).as("a timestamp without a zone").isEqualTo("2025-07-01T00:00:02.500");
        assertThat(rows.get(1)[9]).isEqualTo(new BigDecimal("-9.63"));
        assertThat(rows.get(13)[3]).as("NaN, missing as pandas reads it").isNull();
    }

    @Test
    void int96Timestamps_areInstantsInUtc() throws Exception {
        List<JsonNode> expected = expectedRows();
        byte[] bytes = Files.readAllBytes(FIXTURES.resolve("customers-int96.parquet"));
        List<Object[]> rows = new ArrayList<>();
        try (ParquetRows parquet = ParquetRows.open(file(bytes, 0, bytes.length, new ArrayList<>()), "int96")) {
            parquet.read(0, bytes.length, (index, values) -> rows.add(values));
        }
        assertThat(rows).hasSize(expected.size());
        for (int r = 0; r < rows.size(); r++) {
            assertThat(rows.get(r)[1]).isEqualTo(expected.get(r).get("signed_up").asText());
        }
    }

    @Test
    void aWindow_readsTheRowGroupsThatStartInIt_numberedInTheObject_andOnlyItsBytes() throws Exception {
        byte[] bytes = Files.readAllBytes(FIXTURES.resolve("customers-snappy.parquet"));
        List<Long> starts;
        try (ParquetRows parquet = ParquetRows.open(file(bytes, 0, 0, new ArrayList<>()), "footer")) {
            starts = parquet.rowGroupStarts();
        }
        List<long[]> ranges = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        try (ParquetRows parquet = ParquetRows.open(file(bytes, starts.get(1), starts.get(3), ranges), "window")) {
            parquet.read(starts.get(1), starts.get(3), (index, values) -> indexes.add(index));
        }
        assertThat(indexes).as("the second and third row groups of 30 rows")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(30, 90).boxed().toList());
        assertThat(ranges).as("no range reaches into the first or the last row group")
                .allSatisfy(range -> assertThat(range[0] >= starts.get(1) && range[1] <= starts.get(3)
                        || range[0] > starts.get(3)).as(Arrays.toString(range)).isTrue());
    }

    @Test
    void whatIsNotRead_isRefused_namingTheColumnOrTheCodec() throws Exception {
        byte[] nested = Files.readAllBytes(FIXTURES.resolve("nested.parquet"));
        assertThatThrownBy(() -> ParquetRows.open(file(nested, 0, 0, new ArrayList<>()), "s3://b/nested.parquet"))
                .isInstanceOf(UnsupportedParquetException.class)
                .hasMessage("s3://b/nested.parquet: column 'embedding' is a nested (list, map or struct) column;"
                        + " batch predictions read flat columns");

        byte[] brotli = Files.readAllBytes(FIXTURES.resolve("brotli.parquet"));
        assertThatThrownBy(() -> {
            try (ParquetRows parquet = ParquetRows.open(file(brotli, 0, brotli.length, new ArrayList<>()), "b")) {
                parquet.read(0, brotli.length, (index, values) -> { });
            }
        }).hasStackTraceContaining("pages compressed with brotli are not read");

        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ParquetRows.open(file(csv, 0, 0, new ArrayList<>()), "s3://b/x.parquet"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("s3://b/x.parquet cannot be read as Parquet");
    }

    @Test
    void unsignedLongIds_areNoSignedIntegerColumn_butSmallerUnsignedOnesAre(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        org.apache.parquet.schema.MessageType type = org.apache.parquet.schema.Types.buildMessage()
                .optional(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64)
                .as(org.apache.parquet.schema.LogicalTypeAnnotation.intType(64, false)).named("u64")
                .optional(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32)
                .as(org.apache.parquet.schema.LogicalTypeAnnotation.intType(32, false)).named("u32")
                .named("ids");
        Path file = dir.resolve("ids.parquet");
        try (var writer = ParquetCodecs.writer(file, type, 1L << 20)) {
            writer.write(new org.apache.parquet.example.data.simple.SimpleGroupFactory(type).newGroup()
                    .append("u64", -3L).append("u32", -1));
        }
        byte[] bytes = Files.readAllBytes(file);
        List<Object[]> rows = new ArrayList<>();
        try (ParquetRows parquet = ParquetRows.open(RangedInputFile.inMemory(bytes), "ids")) {
            assertThat(parquet.isIntegerColumn("u64")).isFalse();
            assertThat(parquet.isIntegerColumn("u32")).isTrue();
            parquet.read(0, bytes.length, (index, values) -> rows.add(values));
        }
        assertThat(rows.get(0)).containsExactly(new java.math.BigInteger("18446744073709551613"), 4294967295L);
    }

    private static void assertValue(Object actual, JsonNode expected, String what) {
        if (expected.isNull()) {
            assertThat(actual).as(what).isNull();
        } else if (expected.isNumber()) {
            assertThat(actual).as(what).isInstanceOf(Number.class);
            assertThat(((Number) actual).doubleValue()).as(what).isCloseTo(expected.asDouble(), within(1e-9));
        } else if (expected.isBoolean()) {
            assertThat(actual).as(what).isEqualTo(expected.asBoolean());
        } else {
            assertThat(actual).as(what).isEqualTo(expected.asText());
        }
    }

    private static List<JsonNode> expectedRows() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(FIXTURES.resolve("rows.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    /** The bytes as an object read by ranges, each range recorded. */
    private static RangedInputFile file(byte[] bytes, long windowStart, long windowEnd, List<long[]> ranges) {
        return new RangedInputFile(bytes.length, windowStart, windowEnd, (from, to) -> {
            ranges.add(new long[] {from, to});
            InputStream in = new ByteArrayInputStream(bytes, (int) from, (int) (to - from));
            return in;
        });
    }
}
