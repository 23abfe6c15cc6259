package io.capstan.predict.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchFormat;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchKeys;
import io.capstan.batch.ChunkResult;
import io.capstan.batch.LineRange;
import io.capstan.batch.S3Location;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.predict.batch.parquet.ParquetRows;
import io.capstan.predict.batch.parquet.RangedInputFile;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Scores one chunk: streams its lines from S3 ({@link LineRange}) or reads its Parquet row groups ({@link ParquetRows}
 * over ranged GETs), sends them a thousand at a time to the predict function as an MLflow scoring request for the
 * job's pinned version ({@code /models/<name>@v<version>/invocations}: CSV and Parquet rows as {@code dataframe_split},
 * JSON lines as {@code dataframe_records}), and writes each row's id and prediction to a temporary file, uploaded as
 * the chunk's part. Rows are identified by the job's id column; without one, by {@code <12 hex digits of the key's
 * SHA-256>-<the line's byte offset>} (a Parquet row: its position in the object, from 0) in a column
 * {@value #SOURCE_ROW}, which is also the id the predict function records the prediction under. A row the model
 * refuses fails the chunk, naming the line or rows.
 */
public final class ChunkScorer {
    /** The output column identifying a row when the job names no id column. */
    public static final String SOURCE_ROW = "source_row";
    /** Rows per scoring request. */
    static final int BATCH_ROWS = 1_000;
    /** The longest CSV header read. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final String SYNTHETIC_ID = "_capstan_source_row";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final BatchObjects objects;
    private final Function<HttpRequest, HttpResponse> predict;
    private final Path workFolder;

    /**
     * @param predict    the predict function (its MLflow invocations route)
     * @param workFolder where a chunk's part is written before its upload
     */
    public ChunkScorer(BatchObjects objects, Function<HttpRequest, HttpResponse> predict, Path workFolder) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.predict = Objects.requireNonNull(predict, "predict");
        this.workFolder = Objects.requireNonNull(workFolder, "workFolder");
    }

    /**
     * Scores {@code chunk} of {@code job}, writes its part and its result record, and returns the result.
     *
     * @throws IllegalStateException naming the chunk and the line (or row) when a row cannot be scored
     */
    public ChunkResult score(BatchJob job, BatchChunk chunk) {
        String rowPrefix = HexFormat.of().formatHex(sha256(chunk.key().getBytes(StandardCharsets.UTF_8)), 0, 6) + "-";
        S3Location part = BatchKeys.part(job, chunk.index());
        Path file = null;
        try {
            Files.createDirectories(workFolder);
            file = Files.createTempFile(workFolder, "part-", job.format().extension());
            long rows = job.format() == BatchFormat.PARQUET ? scoreParquet(job, chunk, rowPrefix, file)
                    : scoreLines(job, chunk, rowPrefix, file);
            objects.put(part.bucket(), part.key(), file, job.format().contentType());
            ChunkResult result = new ChunkResult(chunk, part.key(), rows, Files.size(file), sha256(file));
            S3Location record = BatchKeys.chunkResult(job, chunk.index());
            objects.put(record.bucket(), record.key(), JSON.writeValueAsBytes(result.toJson()), "application/json");
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("scoring chunk " + chunk.index() + " of job " + job.jobId(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a leftover in the work folder is removed with the container
                }
            }
        }
    }

    /** A CSV or JSON-lines chunk: the lines that start in its range, a thousand per request. */
    private long scoreLines(BatchJob job, BatchChunk chunk, String rowPrefix, Path file) throws IOException {
        String bucket = job.input().bucket();
        List<String> header = job.format() == BatchFormat.CSV ? header(bucket, chunk.key()) : List.of();
        String idName = job.idColumn().orElse(SOURCE_ROW);
        if (job.idColumn().isPresent() && job.format() == BatchFormat.CSV && !header.contains(idName)) {
            throw new IllegalStateException("s3://" + bucket + "/" + chunk.key() + " has no column '" + idName
                    + "', which the job names as its id column; its columns are " + header);
        }
        long rows = 0;
        try (PartWriter parts = new TextPartWriter(job.format(), idName, new BufferedWriter(new OutputStreamWriter(
                     Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16));
             InputStream in = objects.open(bucket, chunk.key(), Math.max(0, chunk.start() - 1), -1);
             LineRange lines = new LineRange(in, chunk.start(), chunk.end())) {
            List<LineRange.Line> batch = new ArrayList<>(BATCH_ROWS);
            boolean first = chunk.start() == 0 && job.format() == BatchFormat.CSV;
            for (LineRange.Line line = lines.next(); line != null; line = lines.next()) {
                if (first) {
                    first = false; // the header line
                    continue;
                }
                batch.add(line);
                if (batch.size() == BATCH_ROWS) {
                    rows += scoreLineBatch(job, chunk, header, rowPrefix, batch, parts);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                rows += scoreLineBatch(job, chunk, header, rowPrefix, batch, parts);
            }
        }
        return rows;
    }

    private long scoreLineBatch(BatchJob job, BatchChunk chunk, List<String> header, String rowPrefix,
                                List<LineRange.Line> batch, PartWriter parts) throws IOException {
        byte[] body = job.format() == BatchFormat.CSV
                ? split(requestColumns(header, job), csvRows(header, rowPrefix, batch, job))
                : records(rowPrefix, batch, job);
        return scoreBatch(job, chunk, body, batch.size(), "lines from byte " + batch.get(0).offset() + " to byte "
                + batch.get(batch.size() - 1).offset(), parts);
    }

    /**
     * A Parquet chunk: the row groups that start in its range, read through ranged GETs (the footer, then only the
     * columns kept), a thousand rows per request as a typed {@code dataframe_split}.
     */
    private long scoreParquet(BatchJob job, BatchChunk chunk, String rowPrefix, Path file) throws IOException {
        String bucket = job.input().bucket();
        String where = "s3://" + bucket + "/" + chunk.key();
        long size = objects.size(bucket, chunk.key()).orElseThrow(() -> new IllegalStateException(where
                + " no longer exists"));
        RangedInputFile input = new RangedInputFile(size, chunk.start(), chunk.end(),
                (from, to) -> objects.open(bucket, chunk.key(), from, to));
        try (ParquetRows source = ParquetRows.open(input, where)) {
            String idName = job.idColumn().orElse(SOURCE_ROW);
            if (job.idColumn().isPresent() && !source.columnNames().contains(idName)) {
                throw new IllegalStateException(where + " has no column '" + idName + "', which the job names as its"
                        + " id column; its columns are " + source.columnNames());
            }
            List<String> columns = requestColumns(source.columnNames(), job);
            List<Object[]> batch = new ArrayList<>(BATCH_ROWS);
            long[] first = {0};
            long[] rows = {0};
            try (PartWriter parts = new ParquetPartWriter(file, idName, job.idColumn().isPresent()
                    && source.isIntegerColumn(idName))) {
                source.read(chunk.start(), chunk.end(), (index, values) -> {
                    if (batch.isEmpty()) {
                        first[0] = index;
                    }
                    if (job.idColumn().isEmpty()) {
                        values = Arrays.copyOf(values, values.length + 1);
                        values[values.length - 1] = rowPrefix + index;
                    }
                    batch.add(values);
                    if (batch.size() == BATCH_ROWS) {
                        rows[0] += scoreBatch(job, chunk, split(columns, batch), batch.size(), "rows " + first[0]
                                + " to " + index, parts);
                        batch.clear();
                    }
                });
                if (!batch.isEmpty()) {
                    rows[0] += scoreBatch(job, chunk, split(columns, batch), batch.size(), "rows " + first[0] + " to "
                            + (first[0] + batch.size() - 1), parts);
                }
            }
            return rows[0];
        }
    }

    /** The columns a scoring request names: the input's, and the synthetic id last when the job names none. */
    private static List<String> requestColumns(List<String> input, BatchJob job) {
        if (job.idColumn().isPresent()) {
            return input;
        }
        List<String> columns = new ArrayList<>(input);
        columns.add(SYNTHETIC_ID);
        return columns;
    }

    /** Sends one batch of rows to the predict function and writes their answers; returns how many. */
    private long scoreBatch(BatchJob job, BatchChunk chunk, byte[] body, int rows, String which, PartWriter parts)
            throws IOException {
        String idColumn = job.idColumn().orElse(SYNTHETIC_ID);
        HttpResponse answer = predict.apply(new HttpRequest("POST", "/models/" + job.model() + "@v" + job.version()
                + "/invocations", Map.of(), Map.of("content-type", "application/json",
                "x-capstan-id-column", idColumn), body, "capstan-batch"));
        if (answer.status() != 200) {
            throw new RowsRefusedException("chunk " + chunk.index() + " (s3://" + job.input().bucket() + "/"
                    + chunk.key() + ", " + which + "): the model refused the rows: " + message(answer));
        }
        JsonNode json = JSON.readTree(answer.body());
        JsonNode predictions = json.path("predictions");
        JsonNode ids = json.path("prediction_ids");
        if (!predictions.isArray() || predictions.size() != rows) {
            throw new IllegalStateException("chunk " + chunk.index() + ": the predict function answered "
                    + predictions.size() + " predictions for " + rows + " rows");
        }
        for (int row = 0; row < rows; row++) {
            JsonNode prediction = predictions.get(row);
            String id = ids.isArray() ? ids.get(row).asText() : prediction.path("prediction_id").asText();
            parts.write(id, prediction);
        }
        return rows;
    }

    /** Typed rows (a Parquet chunk's, or CSV lines') as an MLflow {@code dataframe_split} of {@code columns}. */
    private static byte[] split(List<String> columns, List<Object[]> batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("dataframe_split");
            json.writeArrayFieldStart("columns");
            for (String column : columns) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("data");
            for (Object[] row : batch) {
                json.writeStartArray();
                for (Object value : row) {
                    json.writeObject(value);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /**
     * CSV lines as typed rows in the header's order: a cell that reads as a number as that number (exactly as
     * written), an empty one as null, the id column's cells as text; the synthetic id last when the job has none.
     */
    private static List<Object[]> csvRows(List<String> header, String rowPrefix, List<LineRange.Line> batch,
                                          BatchJob job) throws IOException {
        boolean synthetic = job.idColumn().isEmpty();
        int idIndex = job.idColumn().map(header::indexOf).orElse(-1);
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (LineRange.Line line : batch) {
            List<String> cells = cells(line, job);
            if (cells.size() != header.size()) {
                throw new IllegalStateException("the CSV line at byte " + line.offset() + " has " + cells.size()
                        + " fields; the header has " + header.size());
            }
            Object[] row = new Object[header.size() + (synthetic ? 1 : 0)];
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c);
                if (c == idIndex) {
                    row[c] = cell;
                } else if (!cell.isEmpty()) {
                    BigDecimal number = number(cell);
                    row[c] = number != null ? number : cell;
                }
            }
            if (synthetic) {
                row[row.length - 1] = rowPrefix + line.offset();
            }
            rows.add(row);
        }
        return rows;
    }

    /** JSON lines as MLflow {@code dataframe_records}, each with the synthetic id when the job names no id column. */
    private static byte[] records(String rowPrefix, List<LineRange.Line> batch, BatchJob job) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256);
        out.write("{\"dataframe_records\": [".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < batch.size(); i++) {
            LineRange.Line line = batch.get(i);
            String text = line.text().strip();
            if (!text.startsWith("{") || !text.endsWith("}")) {
                throw new IllegalStateException("the line at byte " + line.offset() + " is not a JSON object");
            }
            if (i > 0) {
                out.write(',');
            }
            if (job.idColumn().isEmpty()) {
                String rest = text.substring(1).strip();
                out.write(("{\"" + SYNTHETIC_ID + "\":\"" + rowPrefix + line.offset() + "\"" + (rest.equals("}")
                        ? "" : ",")).getBytes(StandardCharsets.UTF_8));
                out.write(rest.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        out.write("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static List<String> cells(LineRange.Line line, BatchJob job) throws IOException {
        try (CSVParser parser = CSVFormat.DEFAULT.parse(new StringReader(line.text()))) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                return List.of();
            }
            return records.next().toList();
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new IllegalStateException("the CSV line at byte " + line.offset() + " of " + job.input()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The object's first line, as CSV fields. */
    private List<String> header(String bucket, String key) {
        try {
            String first = LineRange.firstLine(objects.open(bucket, key, 0, MAX_HEADER_BYTES), MAX_HEADER_BYTES)
                    .orElseThrow(() -> new IllegalStateException("s3://" + bucket + "/" + key + " has no header line"));
            try (CSVParser parser = CSVFormat.DEFAULT.builder().setTrim(true).get().parse(new StringReader(first))) {
                return parser.iterator().next().toList();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the header line of s3://" + bucket + "/" + key + " is longer than "
                    + MAX_HEADER_BYTES + " bytes");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the header of s3://" + bucket + "/" + key, e);
        }
    }

    /** A cell's number, exactly as written (BigDecimal writes valid JSON for "+1", ".5", "1e3"); null if none. */
    private static BigDecimal number(String cell) {
        try {
            return new BigDecimal(cell.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String message(HttpResponse answer) {
        try {
            JsonNode error = JSON.readTree(answer.body());
            return error.path("message").asText(answer.bodyAsString());
        } catch (IOException e) {
            return answer.bodyAsString();
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
