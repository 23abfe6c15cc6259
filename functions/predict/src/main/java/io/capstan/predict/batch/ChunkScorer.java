package io.capstan.predict.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchFormat;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchKeys;
import io.capstan.batch.ChunkResult;
import io.capstan.batch.LineRange;
import io.capstan.batch.S3Location;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Scores one chunk: streams its lines from S3 ({@link LineRange}), sends them a thousand at a time to the predict
 * function as an MLflow scoring request for the job's pinned version ({@code /models/<name>@v<version>/invocations},
 * CSV rows as {@code dataframe_split}, JSON lines as {@code dataframe_records}), and writes each row's id and
 * prediction to a temporary file, uploaded as the chunk's part. Rows are identified by the job's id column; without
 * one, by {@code <12 hex digits of the key's SHA-256>-<the line's byte offset>} in a column {@value #SOURCE_ROW}, which
 * is also the id the predict function records the prediction under. A row the model refuses fails the chunk, naming
 * the line.
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
     * @throws IllegalStateException naming the chunk and the line when a row cannot be scored
     */
    public ChunkResult score(BatchJob job, BatchChunk chunk) {
        String bucket = job.input().bucket();
        String rowPrefix = HexFormat.of().formatHex(sha256(chunk.key().getBytes(StandardCharsets.UTF_8)), 0, 6) + "-";
        List<String> header = job.format() == BatchFormat.CSV ? header(bucket, chunk.key()) : List.of();
        String idName = job.idColumn().orElse(SOURCE_ROW);
        if (job.idColumn().isPresent() && job.format() == BatchFormat.CSV && !header.contains(idName)) {
            throw new IllegalStateException("s3://" + bucket + "/" + chunk.key() + " has no column '" + idName
                    + "', which the job names as its id column; its columns are " + header);
        }
        S3Location part = BatchKeys.part(job, chunk.index());
        Path file = null;
        try {
            Files.createDirectories(workFolder);
            file = Files.createTempFile(workFolder, "part-", job.format().extension());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long rows = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest);
                 Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                 PartWriter parts = new PartWriter(job.format(), idName, writer);
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
                        rows += scoreBatch(job, chunk, header, rowPrefix, batch, parts);
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    rows += scoreBatch(job, chunk, header, rowPrefix, batch, parts);
                }
            }
            objects.put(part.bucket(), part.key(), file, job.format().contentType());
            ChunkResult result = new ChunkResult(chunk, part.key(), rows, Files.size(file),
                    HexFormat.of().formatHex(digest.digest()));
            S3Location record = BatchKeys.chunkResult(job, chunk.index());
            objects.put(record.bucket(), record.key(), JSON.writeValueAsBytes(result.toJson()), "application/json");
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("scoring chunk " + chunk.index() + " of job " + job.jobId(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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

    /** Scores one batch of lines and writes their rows; returns how many. */
    private long scoreBatch(BatchJob job, BatchChunk chunk, List<String> header, String rowPrefix,
                            List<LineRange.Line> batch, PartWriter parts) throws IOException {
        String idColumn = job.idColumn().orElse(SYNTHETIC_ID);
        byte[] body = job.format() == BatchFormat.CSV ? split(header, rowPrefix, batch, job)
                : records(rowPrefix, batch, job);
        HttpResponse answer = predict.apply(new HttpRequest("POST", "/models/" + job.model() + "@v" + job.version()
                + "/invocations", Map.of(), Map.of("content-type", "application/json",
                "x-capstan-id-column", idColumn), body, "capstan-batch"));
        if (answer.status() != 200) {
            throw new RowsRefusedException("chunk " + chunk.index() + " (s3://" + job.input().bucket() + "/"
                    + chunk.key() + ", lines from byte " + batch.get(0).offset() + " to byte "
                    + batch.get(batch.size() - 1).offset() + "): the model refused the rows: "
                    + message(answer));
        }
        JsonNode json = JSON.readTree(answer.body());
        JsonNode predictions = json.path("predictions");
        JsonNode ids = json.path("prediction_ids");
        if (!predictions.isArray() || predictions.size() != batch.size()) {
            throw new IllegalStateException("chunk " + chunk.index() + ": the predict function answered "
                    + predictions.size() + " predictions for " + batch.size() + " rows");
        }
        for (int row = 0; row < batch.size(); row++) {
            JsonNode prediction = predictions.get(row);
            String id = ids.isArray() ? ids.get(row).asText() : prediction.path("prediction_id").asText();
            parts.write(id, prediction);
        }
        return batch.size();
    }

    /** CSV lines as an MLflow {@code dataframe_split}, the synthetic id column added when the job has none. */
    private static byte[] split(List<String> header, String rowPrefix, List<LineRange.Line> batch, BatchJob job)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256);
        boolean synthetic = job.idColumn().isEmpty();
        String idColumn = job.idColumn().orElse(null);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("dataframe_split");
            json.writeArrayFieldStart("columns");
            for (String column : header) {
                json.writeString(column);
            }
            if (synthetic) {
                json.writeString(SYNTHETIC_ID);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("data");
            for (LineRange.Line line : batch) {
                List<String> cells = cells(line, job);
                if (cells.size() != header.size()) {
                    throw new IllegalStateException("the CSV line at byte " + line.offset() + " has "
                            + cells.size() + " fields; the header has " + header.size());
                }
                json.writeStartArray();
                for (int c = 0; c < cells.size(); c++) {
                    String cell = cells.get(c);
                    BigDecimal number = header.get(c).equals(idColumn) || cell.isEmpty() ? null : number(cell);
                    if (cell.isEmpty() && !header.get(c).equals(idColumn)) {
                        json.writeNull();
                    } else if (number != null) {
                        json.writeNumber(number);
                    } else {
                        json.writeString(cell);
                    }
                }
                if (synthetic) {
                    json.writeString(rowPrefix + line.offset());
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }
        return out.toByteArray();
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a part's rows: the id, then the prediction's fields (nested objects flattened with dots in CSV). */
    private static final class PartWriter implements AutoCloseable {
        private final BatchFormat format;
        private final String idName;
        private final Writer writer;
        private CSVPrinter csv;
        private List<String> columns;

        PartWriter(BatchFormat format, String idName, Writer writer) {
            this.format = format;
            this.idName = idName;
            this.writer = writer;
        }

        void write(String id, JsonNode prediction) throws IOException {
            if (format == BatchFormat.JSONL) {
                ObjectNode line = JSON.createObjectNode().put(idName, id);
                if (prediction.isObject()) {
                    prediction.fields().forEachRemaining(field -> {
                        if (!field.getKey().equals("prediction_id")) {
                            line.set(field.getKey(), field.getValue());
                        }
                    });
                } else {
                    line.set("prediction", prediction);
                }
                writer.write(JSON.writeValueAsString(line));
                writer.write('\n');
                return;
            }
            Map<String, String> flat = new LinkedHashMap<>();
            flat.put(idName, id);
            flatten("", prediction, flat);
            if (csv == null) {
                columns = List.copyOf(flat.keySet());
                csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(columns.toArray(String[]::new))
                        .setRecordSeparator('\n').get());
            }
            List<String> values = new ArrayList<>(columns.size());
            for (String column : columns) {
                values.add(flat.get(column));
            }
            csv.printRecord(values);
        }

        private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
            if (node.isObject()) {
                node.fields().forEachRemaining(field -> {
                    if (!(prefix.isEmpty() && field.getKey().equals("prediction_id"))) {
                        flatten(prefix + field.getKey() + ".", field.getValue(), into);
                    }
                });
            } else {
                String name = prefix.isEmpty() ? "prediction" : prefix.substring(0, prefix.length() - 1);
                into.put(name, node.isValueNode() ? node.asText() : node.toString());
            }
        }

        @Override
        public void close() throws IOException {
            if (csv != null) {
                csv.flush();
            }
        }
    }
}
