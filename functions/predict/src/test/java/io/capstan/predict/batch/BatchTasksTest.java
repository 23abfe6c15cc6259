package io.capstan.predict.batch;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchFormat;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchKeys;
import io.capstan.batch.ChunkResult;
import io.capstan.batch.S3Location;
import io.capstan.http.HttpResponse;
import io.capstan.predict.batch.parquet.ParquetCodecs;
import io.capstan.predict.batch.parquet.ParquetRows;
import io.capstan.predict.batch.parquet.RangedInputFile;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import io.capstan.testing.S3ProxyBuckets;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The batch tasks on S3Proxy and the real predict function: a CSV object planned into byte ranges and scored chunk by
 * chunk gives every row once, in order, under its id, with the online endpoint's predictions; JSON lines without an
 * id column get the rows' source offsets; a row the model refuses fails its chunk naming the line; the manifest adds
 * up and lists a failed chunk. A Parquet object is planned into runs of its row groups and written back as Parquet
 * parts with the id column's integers; one that cannot be read fails the plan, naming the object and why.
 */
class BatchTasksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TrainedModel BC = TrainedModels.breastCancer();

    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("data");
    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();

    @TempDir
    Path work;
    private S3BatchObjects objects;
    private BatchTasks tasks;

    @BeforeEach
    void newTasks() {
        objects = new S3BatchObjects(s3.client());
        tasks = new BatchTasks(new BatchPlanner(objects), new ChunkScorer(objects, fixture.function, work),
                new BatchFinisher(objects, Clock.systemUTC()));
    }

    @Test
    void aCsvInRanges_givesEveryRowOnce_withTheOnlinePredictions() throws Exception {
        int rows = 569;
        StringBuilder csv = new StringBuilder("customer," + String.join(",", BC.csvColumns()) + "\r\n");
        for (int r = 0; r < rows; r++) {
            csv.append("c-").append(r);
            for (float value : BC.rows()[r]) {
                csv.append(',').append(value);
            }
            csv.append("\r\n");
        }
        put("in/rows.csv", csv.toString());
        BatchJob job = job(uri("in/"), uri("out/"), BatchFormat.CSV, Optional.of("customer"), 4 << 10);

        List<BatchChunk> plan = plan(job);
        assertThat(plan.size()).as("ranges of 4 KiB").isGreaterThan(10);
        long total = 0;
        for (BatchChunk chunk : plan) {
            total += ChunkResult.fromJson(tasks.run(payload("score", job, chunk))).rows();
        }
        JsonNode manifest = tasks.run(finish(job));

        assertThat(total).isEqualTo(rows);
        assertThat(manifest.path("status").asText()).isEqualTo(BatchFinisher.SUCCEEDED);
        assertThat(manifest.path("rows").asLong()).isEqualTo(rows);
        assertThat(manifest.path("parts")).hasSize(plan.size());
        List<CSVRecord> written = new ArrayList<>();
        for (BatchChunk chunk : plan) {
            String part = read(BatchKeys.part(job, chunk.index()));
            written.addAll(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(part)).getRecords());
        }
        assertThat(written).extracting(r -> r.get("customer")).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, rows).mapToObj(r -> "c-" + r).toList());
        JsonNode online = json(fixture.call(Requests.post("/models/" + BREAST_CANCER + "@v1/invocations",
                Requests.dataframeSplit(BC, 10))));
        for (int r = 0; r < 10; r++) {
            JsonNode expected = online.at("/predictions/" + r);
            CSVRecord row = written.get(r);
            assertThat(row.get("label")).isEqualTo(expected.get("label").asText());
            expected.get("probabilities").fields().forEachRemaining(p -> assertThat(Double.parseDouble(
                    row.get("probabilities." + p.getKey()))).isCloseTo(p.getValue().asDouble(), within(1e-6)));
        }
    }

    @Test
    void aParquetObjectInRowGroups_givesEveryRowOnce_typed_withTheOnlinePredictions() throws Exception {
        int rows = 569;
        Path input = work.resolve("rows.parquet");
        Types.MessageTypeBuilder schema = Types.buildMessage();
        schema.required(PrimitiveType.PrimitiveTypeName.INT64).named("customer");
        BC.csvColumns().forEach(column -> schema.required(PrimitiveType.PrimitiveTypeName.FLOAT).named(column));
        MessageType type = schema.named("rows");
        try (ParquetWriter<Group> writer = ParquetCodecs.writer(input, type, 8L << 10)) {
            for (int r = 0; r < rows; r++) {
                Group row = new SimpleGroupFactory(type).newGroup().append("customer", 5_000_000_000L + r);
                for (int c = 0; c < BC.csvColumns().size(); c++) {
                    row.append(BC.csvColumns().get(c), BC.rows()[r][c]);
                }
                writer.write(row);
            }
        }
        s3.client().putObject(b -> b.bucket(s3.bucket()).key("in-parquet/rows.parquet"), RequestBody.fromFile(input));
        put("in-parquet/notes.csv", "not,parquet\n");
        BatchJob job = job(uri("in-parquet/"), uri("out-parquet/"), BatchFormat.PARQUET, Optional.of("customer"),
                16 << 10);

        List<BatchChunk> plan = plan(job);
        assertThat(plan).as("runs of row groups of ~8 KiB in 16 KiB chunks, the CSV object left out")
                .hasSizeGreaterThan(2)
                .allSatisfy(chunk -> assertThat(chunk.key()).isEqualTo("in-parquet/rows.parquet"));
        for (BatchChunk chunk : plan) {
            tasks.run(payload("score", job, chunk));
        }
        JsonNode manifest = tasks.run(finish(job));

        assertThat(manifest.path("status").asText()).isEqualTo(BatchFinisher.SUCCEEDED);
        assertThat(manifest.path("rows").asLong()).isEqualTo(rows);
        List<String> columns = new ArrayList<>();
        List<Object[]> written = new ArrayList<>();
        for (BatchChunk chunk : plan) {
            assertThat(BatchKeys.part(job, chunk.index()).key()).endsWith(".parquet");
            byte[] part = s3.client().getObjectAsBytes(b -> b.bucket(s3.bucket())
                    .key(BatchKeys.part(job, chunk.index()).key())).asByteArray();
            try (ParquetRows read = ParquetRows.open(RangedInputFile.inMemory(part), "part")) {
                columns.clear();
                columns.addAll(read.columnNames());
                assertThat(read.isIntegerColumn("customer")).as("the id column keeps its integers").isTrue();
                read.read(0, part.length, (index, values) -> written.add(values));
            }
        }
        assertThat(written).extracting(row -> row[0]).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, rows).mapToObj(r -> 5_000_000_000L + r).toList());
        JsonNode online = json(fixture.call(Requests.post("/models/" + BREAST_CANCER + "@v1/invocations",
                Requests.dataframeSplit(BC, 10))));
        for (int r = 0; r < 10; r++) {
            JsonNode expected = online.at("/predictions/" + r);
            Object[] row = written.get(r);
            assertThat(row[columns.indexOf("label")]).isEqualTo(expected.get("label").asText());
            expected.get("probabilities").fields().forEachRemaining(p -> assertThat((Double) row[columns.indexOf(
                    "probabilities." + p.getKey())]).isCloseTo(p.getValue().asDouble(), within(1e-6)));
        }
    }

    @Test
    void aParquetInputThatCannotBeRead_failsThePlan_namingTheObjectAndWhy() throws Exception {
        put("bad-parquet/a.parquet", "a,b\n1,2\n");
        BatchJob job = job(uri("bad-parquet/"), uri("out-bad-parquet/"), BatchFormat.PARQUET, Optional.empty(),
                1 << 20);
        assertThatThrownBy(() -> plan(job)).isInstanceOf(io.capstan.error.CapstanException.class)
                .hasMessageStartingWith("s3://" + s3.bucket() + "/bad-parquet/a.parquet cannot be read as Parquet");

        Path nested = Path.of("src/test/resources/parquet/nested.parquet");
        s3.client().putObject(b -> b.bucket(s3.bucket()).key("nested/a.parquet"), RequestBody.fromFile(nested));
        BatchJob nestedJob = job(uri("nested/"), uri("out-nested/"), BatchFormat.PARQUET, Optional.of("id"),
                1 << 20);
        assertThatThrownBy(() -> plan(nestedJob)).hasMessageContaining("column 'embedding' is a nested");
        BatchJob noSuchId = job(uri("in-nested/"), uri("out-nested/"), BatchFormat.PARQUET, Optional.of("row"),
                1 << 20);
        s3.client().putObject(b -> b.bucket(s3.bucket()).key("in-nested/a.parquet"), RequestBody.fromFile(
                Path.of("src/test/resources/parquet/customers-zstd.parquet")));
        assertThatThrownBy(() -> plan(noSuchId)).hasMessageContaining("has no column 'row', which the job names as"
                + " its id column");
    }

    @Test
    void jsonLinesWithoutAnIdColumn_areNamedByTheirSourceOffset() throws Exception {
        StringBuilder lines = new StringBuilder();
        List<Long> offsets = new ArrayList<>();
        for (int r = 0; r < 25; r++) {
            offsets.add((long) lines.toString().getBytes(StandardCharsets.UTF_8).length);
            var record = JSON.createObjectNode();
            for (int c = 0; c < BC.csvColumns().size(); c++) {
                record.put(BC.csvColumns().get(c), BC.rows()[r][c]);
            }
            lines.append(record).append('\n');
        }
        put("in/rows.jsonl", lines.toString());
        BatchJob job = job(uri("in/rows.jsonl"), uri("out-jsonl/"), BatchFormat.JSONL, Optional.empty(),
                1 << 20);

        List<BatchChunk> plan = plan(job);
        tasks.run(payload("score", job, plan.get(0)));

        List<String> out = read(BatchKeys.part(job, 0)).lines().toList();
        assertThat(out).hasSize(25);
        String prefix = JSON.readTree(out.get(0)).get(ChunkScorer.SOURCE_ROW).asText().split("-")[0];
        for (int r = 0; r < 25; r++) {
            JsonNode row = JSON.readTree(out.get(r));
            assertThat(row.get(ChunkScorer.SOURCE_ROW).asText()).isEqualTo(prefix + "-" + offsets.get(r));
            assertThat(row.has("label")).isTrue();
        }
    }

    @Test
    void aRowTheModelRefuses_failsItsChunk_namingTheLine_andTheManifestListsIt() throws Exception {
        StringBuilder csv = new StringBuilder(String.join(",", BC.csvColumns()) + "\n");
        for (int r = 0; r < 3; r++) {
            List<String> cells = new ArrayList<>();
            for (float value : BC.rows()[r]) {
                cells.add(r == 1 && cells.isEmpty() ? "not-a-number" : Float.toString(value));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        put("bad/rows.csv", csv.toString());
        BatchJob job = job(uri("bad/rows.csv"), uri("out-bad/"), BatchFormat.CSV, Optional.empty(),
                1 << 20);
        List<BatchChunk> plan = plan(job);

        assertThatThrownBy(() -> tasks.run(payload("score", job, plan.get(0))))
                .hasMessageContaining("chunk 0").hasMessageContaining("the model refused the rows");
        tasks.run(payload("fail", job, plan.get(0)).put("error", "IllegalStateException").put("cause", "bad row"));
        JsonNode manifest = tasks.run(finish(job));

        assertThat(manifest.path("status").asText()).isEqualTo(BatchFinisher.FAILED);
        assertThat(manifest.at("/failed_chunks/0/cause").asText()).isEqualTo("bad row");
    }

    @Test
    void anInputWithNothingToRead_isNamed() throws Exception {
        BatchJob job = job(uri("nothing/"), uri("out-nothing/"), BatchFormat.CSV, Optional.empty(),
                1 << 20);
        assertThatThrownBy(() -> plan(job)).hasMessageContaining("holds no csv object");
    }

    /** The plan task's chunks, read where the Map's ItemReader reads them: the JSON array it stored. */
    private List<BatchChunk> plan(BatchJob job) throws Exception {
        JsonNode answer = tasks.run(payload("plan", job, null));
        assertThat(answer.path("key").asText()).isEqualTo(BatchKeys.plan(job).key());
        List<BatchChunk> plan = new ArrayList<>();
        JSON.readTree(s3.client().getObjectAsBytes(b -> b.bucket(answer.path("bucket").asText())
                .key(answer.path("key").asText())).asByteArray()).forEach(item -> plan.add(BatchChunk.fromJson(item)));
        assertThat(answer.path("chunks").asInt()).isEqualTo(plan.size());
        return plan;
    }

    private static BatchJob job(String input, String output, BatchFormat format, Optional<String> idColumn,
                                long chunkBytes) {
        return new BatchJob("job-1", BREAST_CANCER, 1, S3Location.parse("input", input),
                S3Location.parse("output", output), format, idColumn, chunkBytes, 4, 0);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode payload(String task, BatchJob job,
                                                                          BatchChunk chunk) {
        var payload = JSON.createObjectNode().put("task", task);
        payload.set("job", job.toJson());
        if (chunk != null) {
            payload.set("chunk", chunk.toJson());
        }
        return payload;
    }

    /** The finish task's payload: the job alone, the plan is read from where the plan task stored it. */
    private static com.fasterxml.jackson.databind.node.ObjectNode finish(BatchJob job) {
        return payload("finish", job, null);
    }

    private static void put(String key, String text) {
        s3.client().putObject(b -> b.bucket(s3.bucket()).key(key), RequestBody.fromString(text));
    }

    private static String uri(String key) {
        return "s3://" + s3.bucket() + "/" + key;
    }

    private static String read(S3Location location) {
        return s3.client().getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key())).asUtf8String();
    }

    private static JsonNode json(HttpResponse response) throws java.io.IOException {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
