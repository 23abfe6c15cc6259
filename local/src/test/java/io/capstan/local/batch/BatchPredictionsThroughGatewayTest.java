package io.capstan.local.batch;

import static io.capstan.local.testutils.MlflowRest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.LocalPlatform;
import io.capstan.local.pipeline.LocalFunctionTasks;
import io.capstan.local.testutils.LocalModels;
import io.capstan.local.testutils.MlflowRest;
import io.capstan.model.ModelCard;
import io.capstan.predict.batch.parquet.ParquetCodecs;
import io.capstan.predict.batch.parquet.ParquetRows;
import io.capstan.predict.batch.parquet.RangedInputFile;
import io.capstan.storage.BucketDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Batch predictions on the embedded platform, end to end through the gateway and the batch state machine under the
 * local interpreter: a CSV split into several objects, read in 1 MiB chunks; one chunk fails once (injected) and is
 * retried, one holds a row the model refuses and fails every time. The job ends PARTIAL; every other input row is in
 * the output exactly once, in its chunk's order, with the online endpoint's predictions; the manifest's counts add
 * up; the same request id answers the same job, another request under it is a conflict. A Parquet job writes Parquet
 * parts, its rows named by their position in their object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchPredictionsThroughGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "bc-batch";
    /** Rows per input object, and objects. */
    private static final int ROWS = Integer.getInteger("capstan.test.batchRows", 20_000);
    private static final int OBJECTS = 4;

    private LocalPlatform platform;
    private MlflowRest rest;
    private S3Client s3;
    private String bucket;
    private List<String> features;
    private List<String[]> data;

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path work) throws Exception {
        System.setProperty("capstan.retryIntervalMillis", "50");
        try {
            platform = LocalPlatform.start(dataDir, 0);
        } finally {
            System.clearProperty("capstan.retryIntervalMillis");
        }
        rest = new MlflowRest(platform.url());
        Path model = LocalModels.train(work.resolve("model"), Map.of("epochs", "3"));
        features = ModelCard.fromJson(Files.readAllBytes(model.resolve(ModelCard.FILE_NAME))).features();
        ok(rest.post("/api/2.0/mlflow/registered-models/create", "{\"name\": \"" + MODEL + "\"}"));
        LocalModels.register(platform, MODEL, model, List.of("model.onnx", ModelCard.FILE_NAME));
        ok(rest.post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + MODEL + "\", \"version\": \"1\"}"));
        s3 = platform.engines().s3Client();
        bucket = platform.engines().bucketName(BucketDefinition.DATASETS);
        List<String> csv = Files.readAllLines(Path.of("../scripts/data/breast_cancer.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        data = new ArrayList<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            String[] row = new String[features.size()];
            for (int f = 0; f < features.size(); f++) {
                row[f] = cells[header.indexOf(features.get(f))];
            }
            data.add(row);
        }
    }

    @AfterAll
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aJobOverSeveralObjects_writesEveryRowOnce_retriesAFlakyChunk_andListsABadOne(@TempDir Path work)
            throws Exception {
        for (int o = 0; o < OBJECTS; o++) {
            // written to a file and uploaded from it: the test holds no object in memory either
            Path file = work.resolve("part-" + o + ".csv");
            try (var writer = Files.newBufferedWriter(file)) {
                writer.write("row_id," + String.join(",", features) + "\n");
                for (int r = 0; r < ROWS; r++) {
                    String[] row = data.get((o * ROWS + r) % data.size());
                    boolean bad = o == OBJECTS - 1 && r == ROWS - 1;
                    writer.write(id(o, r) + "," + (bad ? "broken," + String.join(",", java.util.Arrays
                            .copyOfRange(row, 1, row.length)) : String.join(",", row)) + "\n");
                }
            }
            String key = "batch/in/part-" + o + ".csv";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        }
        LocalFunctionTasks tasks = platform.batch().orElseThrow().tasks();
        tasks.failChunk(1, 1);
        String request = "{\"input\": \"s3://" + bucket + "/batch/in/\", \"output\": \"s3://" + bucket
                + "/batch/out/\", \"id_column\": \"row_id\", \"chunk_mb\": 1, \"max_concurrency\": 4,"
                + " \"request_id\": \"nightly-1\"}";

        System.gc();
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans().forEach(
                java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long begun = System.nanoTime();
        JsonNode started = JSON.readTree(ok(rest.post("/models/" + MODEL + "/batch-predictions", request)).body());
        JsonNode again = JSON.readTree(ok(rest.post("/models/" + MODEL + "/batch-predictions", request)).body());
        var conflict = rest.post("/models/" + MODEL + "/batch-predictions", request.replace("\"chunk_mb\": 1",
                "\"chunk_mb\": 2"));
        assertThat(platform.batch().orElseThrow().engine().awaitIdle(600_000)).isTrue();
        double seconds = (System.nanoTime() - begun) / 1e9;
        long peakHeap = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        JsonNode job = JSON.readTree(ok(rest.get("/models/" + MODEL + "/batch-predictions/nightly-1")).body());

        assertThat(started.get("job_id").asText()).isEqualTo("nightly-1");
        assertThat(again.get("job_id").asText()).isEqualTo("nightly-1");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(started.get("version").asLong()).as("the champion, pinned").isEqualTo(1);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("PARTIAL");
        JsonNode manifest = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("batch/out/_capstan/manifest.json")).asByteArray());
        int chunks = manifest.get("chunks").asInt();
        assertThat(chunks).as("several 1 MiB chunks per object").isGreaterThan(OBJECTS);
        assertThat(manifest.get("failed_chunks")).singleElement().satisfies(failed -> {
            assertThat(failed.at("/chunk/key").asText()).isEqualTo("batch/in/part-" + (OBJECTS - 1) + ".csv");
            assertThat(failed.get("cause").asText()).contains("the model refused the rows");
        });
        assertThat(job.at("/progress/chunks_done").asInt()).isEqualTo(chunks);
        assertThat(tasks.attempts(1)).as("the chunk that failed once, retried").isEqualTo(2);
        assertThat(tasks.attempts(chunks - 1)).as("the chunk whose row the model refuses: not retried").isEqualTo(1);

        // the parts, streamed: every row once, in the input's order, the bad chunk's rows alone missing
        List<String> sample = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            sample.add(id(s % (OBJECTS - 1), (s * 997) % ROWS));
        }
        Map<String, CSVRecord> sampled = new HashMap<>();
        long partRows = 0;
        int object = 0;
        int next = 0;
        int skipped = 0;
        for (S3Object part : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("batch/out/part-")).contents()) {
            try (var text = new java.io.InputStreamReader(s3.getObject(b -> b.bucket(bucket).key(part.key())),
                    java.nio.charset.StandardCharsets.UTF_8)) {
                for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(text)) {
                    String id = record.get("row_id");
                    while (!id.equals(id(object, next))) {
                        assertThat(object).as("row %s out of order or repeated", id).isEqualTo(OBJECTS - 1);
                        skipped++;
                        if (++next == ROWS) {
                            object++;
                            next = 0;
                        }
                        assertThat(object).as("row %s not in the input", id).isLessThan(OBJECTS);
                    }
                    if (sample.contains(id)) {
                        sampled.put(id, record);
                    }
                    partRows++;
                    if (++next == ROWS) {
                        object++;
                        next = 0;
                    }
                }
            }
        }
        int failedRows = OBJECTS * ROWS - (int) partRows;
        assertThat(partRows).isEqualTo(manifest.get("rows").asLong());
        assertThat(failedRows).as("only the bad chunk's rows are missing").isPositive().isLessThan(ROWS)
                .isEqualTo(skipped + (object == OBJECTS - 1 ? ROWS - next : 0));
        System.out.printf(java.util.Locale.ROOT, "batch job: %,d input rows in %d objects, %d chunks, %,d rows written"
                + " in %.1f s (%,.0f rows/s); the platform's peak heap during the job %,d MB%n", OBJECTS * ROWS,
                OBJECTS, chunks, partRows, seconds, OBJECTS * ROWS / seconds, peakHeap >> 20);

        // predictions equal the online endpoint's on a sample
        StringBuilder split = new StringBuilder("{\"dataframe_split\": {\"columns\": [\"" + String.join("\", \"",
                features) + "\"], \"data\": [");
        for (int s = 0; s < sample.size(); s++) {
            int o = s % (OBJECTS - 1);
            int r = (s * 997) % ROWS;
            split.append(s == 0 ? "" : ", ").append('[').append(String.join(", ", data.get((o * ROWS + r)
                    % data.size()))).append(']');
        }
        split.append("]}}");
        JsonNode online = JSON.readTree(ok(rest.post("/models/" + MODEL + "/invocations", split.toString())).body());
        for (int s = 0; s < sample.size(); s++) {
            JsonNode answer = online.at("/predictions/" + s);
            CSVRecord batch = sampled.get(sample.get(s));
            assertThat(batch.get("label")).isEqualTo(answer.get("label").asText());
            answer.get("probabilities").fields().forEachRemaining(p -> assertThat(Double.parseDouble(
                    batch.get("probabilities." + p.getKey()))).isCloseTo(p.getValue().asDouble(), within(1e-6)));
        }
    }

    @Test
    @Order(2) // after the job whose chunk attempts are counted: the platform counts them by chunk index
    void aJobOfMoreChunksThanTheExecutionsStateHolds_isReadByTheMapFromItsStoredPlan() throws Exception {
        int objects = 1_050;
        for (int o = 0; o < objects; o++) {
            String key = String.format(java.util.Locale.ROOT, "batch/many/object-%04d.csv", o);
            String body = "row_id," + String.join(",", features) + "\n" + id(o, 0) + "," + String.join(",",
                    data.get(o % data.size())) + "\n" + id(o, 1) + "," + String.join(",", data.get((o + 1)
                    % data.size())) + "\n";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
        }
        String request = "{\"input\": \"s3://" + bucket + "/batch/many/\", \"output\": \"s3://" + bucket
                + "/batch/many-out/\", \"id_column\": \"row_id\", \"max_concurrency\": 8, \"request_id\": \"many\"}";

        ok(rest.post("/models/" + MODEL + "/batch-predictions", request));
        assertThat(platform.batch().orElseThrow().engine().awaitIdle(600_000)).isTrue();
        JsonNode job = JSON.readTree(ok(rest.get("/models/" + MODEL + "/batch-predictions/many")).body());
        JsonNode plan = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("batch/many-out/_capstan/plan.json")).asByteArray());

        // one chunk an object: more than the 1,000 a plan in the execution's state could hold
        assertThat(plan.size()).isEqualTo(objects);
        JsonNode manifest = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("batch/many-out/_capstan/manifest.json")).asByteArray());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(manifest.get("rows").asLong()).isEqualTo(2L * objects);
        assertThat(manifest.get("chunks_written").asLong()).isEqualTo(objects);
    }

    @Test
    @Order(3)
    void aParquetJob_withoutAnIdColumn_writesParquetParts_namedByRowPosition(@TempDir Path work) throws Exception {
        int rows = 300;
        MessageType type = Types.buildMessage().addFields(features.stream().map(f -> (org.apache.parquet.schema.Type)
                Types.optional(PrimitiveType.PrimitiveTypeName.DOUBLE).named(f)).toList()
                .toArray(org.apache.parquet.schema.Type[]::new)).named("rows");
        for (int o = 0; o < 2; o++) {
            Path file = work.resolve("rows-" + o + ".parquet");
            try (ParquetWriter<Group> writer = ParquetCodecs.writer(file, type, 16L << 20)) {
                for (int r = 0; r < rows; r++) {
                    Group row = new SimpleGroupFactory(type).newGroup();
                    String[] values = data.get((o * rows + r) % data.size());
                    for (int f = 0; f < features.size(); f++) {
                        row.append(features.get(f), Double.parseDouble(values[f]));
                    }
                    writer.write(row);
                }
            }
            String key = "batch/parquet-in/rows-" + o + ".parquet";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        }
        String request = "{\"input\": \"s3://" + bucket + "/batch/parquet-in/\", \"output\": \"s3://" + bucket
                + "/batch/parquet-out/\", \"format\": \"parquet\", \"request_id\": \"parquet\"}";

        ok(rest.post("/models/" + MODEL + "/batch-predictions", request));
        assertThat(platform.batch().orElseThrow().engine().awaitIdle(600_000)).isTrue();
        JsonNode job = JSON.readTree(ok(rest.get("/models/" + MODEL + "/batch-predictions/parquet")).body());

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/progress/rows").asLong()).isEqualTo(2L * rows);
        List<String> parts = s3.listObjectsV2(b -> b.bucket(bucket).prefix("batch/parquet-out/part-")).contents()
                .stream().map(S3Object::key).toList();
        assertThat(parts).containsExactly("batch/parquet-out/part-00000.parquet",
                "batch/parquet-out/part-00001.parquet");
        List<String> ids = new ArrayList<>();
        List<Object[]> first = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (String part : parts) {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(part)).asByteArray();
            try (ParquetRows read = ParquetRows.open(RangedInputFile.inMemory(bytes), part)) {
                columns = read.columnNames();
                read.read(0, bytes.length, (index, values) -> {
                    ids.add((String) values[0]);
                    if (first.size() < 5) {
                        first.add(values);
                    }
                });
            }
        }
        assertThat(columns.get(0)).isEqualTo("source_row");
        assertThat(ids).hasSize(2 * rows);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("each object's rows by their position in it").endsWith("-" + (i % rows));
        }
        StringBuilder split = new StringBuilder("{\"dataframe_split\": {\"columns\": [\"" + String.join("\", \"",
                features) + "\"], \"data\": [");
        for (int r = 0; r < first.size(); r++) {
            split.append(r == 0 ? "" : ", ").append('[').append(String.join(", ", data.get(r))).append(']');
        }
        split.append("]}}");
        JsonNode online = JSON.readTree(ok(rest.post("/models/" + MODEL + "/invocations", split.toString())).body());
        for (int r = 0; r < first.size(); r++) {
            JsonNode answer = online.at("/predictions/" + r);
            Object[] row = first.get(r);
            List<String> names = columns;
            assertThat(row[names.indexOf("label")]).isEqualTo(answer.get("label").asText());
            answer.get("probabilities").fields().forEachRemaining(p -> assertThat((Double) row[names.indexOf(
                    "probabilities." + p.getKey())]).isCloseTo(p.getValue().asDouble(), within(1e-6)));
        }
    }

    @Test
    void badRequests_areRefusedBeforeAnythingStarts_namingTheField() throws Exception {
        String in = "s3://" + bucket + "/batch/in/";
        String out = "s3://" + bucket + "/batch/refused/";
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"input\": \"s3://elsewhere/batch/in/\", \"output\": \"" + out + "\"}",
                "'input' is s3://elsewhere/batch/in/, outside the locations batch jobs may use");
        refused.put("{\"input\": \"" + in + "\", \"output\": \"s3://" + bucket + "/models/\"}",
                "'output' is s3://" + bucket + "/models/, outside");
        refused.put("{\"input\": \"" + in + "\", \"output\": \"" + in + "\"}", "the input's own prefix");
        refused.put("{\"input\": \"" + in + "\", \"output\": \"" + out + "\", \"format\": \"avro\"}",
                "'format' must be csv, jsonl or parquet, got 'avro'");
        refused.put("{\"input\": \"" + in + "\", \"output\": \"" + out + "\", \"chunk_mb\": 0}",
                "'chunk_mb' must be between 1 and 1024");
        refused.put("{\"input\": \"" + in + "\", \"output\": \"" + out + "\", \"version\": 1,"
                + " \"alias\": \"champion\"}", "not both");
        refused.put("{\"input\": \"" + in + "\", \"output\": \"" + out + "\", \"colour\": \"red\"}",
                "Unknown field 'colour'");
        refused.put("{\"input\": \"ftp://x/y\", \"output\": \"" + out + "\"}", "'input' must be an S3 URI");
        refused.put("{\"output\": \"" + out + "\"}", "input");
        for (Map.Entry<String, String> request : refused.entrySet()) {
            var response = rest.post("/models/" + MODEL + "/batch-predictions", request.getKey());
            assertThat(response.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("message").asText()).as(request.getKey())
                    .contains(request.getValue());
        }
        s3.putObject(b -> b.bucket(bucket).key("batch/taken/_capstan/manifest.json"), RequestBody.fromString("{}"));
        var taken = rest.post("/models/" + MODEL + "/batch-predictions", "{\"input\": \"" + in + "\", \"output\": \"s3://"
                + bucket + "/batch/taken/\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(taken.body()).get("message").asText()).contains("holds another job's results");
        assertThat(rest.post("/models/no-such-model/batch-predictions", "{\"input\": \"" + in
                + "\", \"output\": \"" + out + "\"}").statusCode()).isEqualTo(404);
        assertThat(rest.get("/models/" + MODEL + "/batch-predictions/no-such-job").statusCode()).isEqualTo(404);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("batch/refused/")).contents()).isEmpty();
    }

    private static String id(int object, int row) {
        return "o" + object + "-r" + row;
    }
}
