package io.capstan.batch.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchFormat;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchKeys;
import io.capstan.batch.S3Location;
import io.capstan.error.CapstanException;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationDispatcher;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.http.RouteTable;
import io.capstan.provenance.Sha256;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryLimits;
import io.capstan.registry.RegistryStore;
import io.capstan.registry.Revision;
import io.capstan.store.dynamodb.SdkFailures;
import io.capstan.workflow.WorkflowEngine;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The batch prediction API (docs/BATCH.md):
 * <ul>
 *   <li>{@code POST /models/{name}/batch-predictions} {@code {"input": "s3://…", "output": "s3://…/prefix/",
 *       "format": "csv" | "jsonl" | "parquet", "version": 3 | "alias": "champion", "id_column": …, "request_id": …,
 *       "chunk_mb": 64, "max_concurrency": 10}} pins the version (the champion by default), checks the locations and
 *       starts the batch state machine; the same {@code request_id} again answers the same job (a different request
 *       under it is a conflict), and an output prefix that already holds another job's results is refused;</li>
 *   <li>{@code GET /models/{name}/batch-predictions} lists the model's jobs, newest first;</li>
 *   <li>{@code GET /models/{name}/batch-predictions/{job_id}} answers the job with its progress (chunks written of
 *       the plan's, from the records chunks leave as they finish) and, once it ended, its manifest's totals.</li>
 * </ul>
 */
public final class BatchFunction implements Function<HttpRequest, HttpResponse> {
    /**
     * The most chunks one job scores at once: each is a Lambda invocation, and the account's concurrency is shared
     * with the online API.
     */
    public static final int MAX_CONCURRENCY = 100;
    /** The most jobs one list returns. */
    public static final int MAX_RESULTS = 100;
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> FIELDS = Set.of("input", "output", "format", "version", "alias", "id_column",
            "request_id", "chunk_mb", "max_concurrency");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryStore registry;
    private final BatchRecords records;
    private final WorkflowEngine engine;
    private final BatchLocations locations;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final OperationDispatcher dispatcher;

    public BatchFunction(RegistryStore registry, BatchRecords records, WorkflowEngine engine, BatchLocations locations,
                         Clock clock, RouteTable routes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.records = Objects.requireNonNull(records, "records");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.locations = Objects.requireNonNull(locations, "locations");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dispatcher = new OperationDispatcher(FunctionId.BATCH, routes, Map.<String, OperationHandler>of(
                "StartBatchPrediction", this::start,
                "ListBatchPredictions", this::list,
                "GetBatchPrediction", this::get), SdkFailures::translate);
    }

    public Set<String> operations() {
        return dispatcher.operations();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        return dispatcher.apply(request);
    }

    private HttpResponse start(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        RequestFields fields = RequestFields.of(request);
        fields.rejectUnknown(FIELDS);
        S3Location input = S3Location.parse("input", fields.requiredString("input"));
        S3Location output = S3Location.parse("output", fields.requiredString("output"));
        if (!output.isPrefix()) {
            throw CapstanException.invalidParameter("'output' must be a prefix ending in /, got " + output + ".");
        }
        locations.check("input", input);
        locations.check("output", output);
        if (input.bucket().equals(output.bucket()) && input.key().equals(output.key())) {
            throw CapstanException.invalidParameter("'output' is the input's own prefix; write the predictions"
                    + " elsewhere.");
        }
        BatchFormat format = BatchFormat.parse(fields.optionalString("format").orElse("csv"));
        Optional<String> idColumn = fields.optionalString("id_column").map(column -> {
            if (column.isBlank() || column.length() > 256) {
                throw CapstanException.invalidParameter("'id_column' must be a column name of 1 to 256 characters.");
            }
            return column;
        });
        long chunkMb = fields.optionalLong("chunk_mb").orElse(BatchJob.DEFAULT_CHUNK_BYTES >> 20);
        if (chunkMb < 1 || chunkMb > 1024) {
            throw CapstanException.invalidParameter("'chunk_mb' must be between 1 and 1024, got " + chunkMb + ".");
        }
        int concurrency = fields.optionalInt("max_concurrency").orElse(BatchJob.DEFAULT_MAX_CONCURRENCY);
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw CapstanException.invalidParameter("'max_concurrency' must be between 1 and " + MAX_CONCURRENCY
                    + ", got " + concurrency + ".");
        }
        Optional<Long> namedVersion = fields.optionalLong("version");
        Optional<String> alias = fields.optionalString("alias");
        if (namedVersion.isPresent() && alias.isPresent()) {
            throw CapstanException.invalidParameter("Send 'version' or 'alias', not both.");
        }
        Optional<String> requestId = fields.optionalString("request_id");
        requestId.ifPresent(id -> {
            if (!JOB_ID.matcher(id).matches()) {
                throw CapstanException.invalidParameter("'request_id' must be 1 to 64 letters, digits, '-' or '_'.");
            }
        });
        String jobId = requestId.orElseGet(() -> "job-" + HexFormat.of().formatHex(randomBytes()));
        Optional<JsonNode> existing = records.job(model, jobId);
        if (existing.isPresent()) {
            // the same request again (a client's retry): the job it started, whatever the champion is now
            BatchJob earlier = BatchJob.fromJson(existing.get());
            BatchJob asked = new BatchJob(jobId, model, namedVersion.orElse(earlier.version()), input, output, format,
                    idColumn, chunkMb << 20, concurrency, earlier.createdAt());
            if (!asked.toJson().equals(earlier.toJson())) {
                throw CapstanException.conflict("Batch prediction '" + jobId + "' of model '" + model + "' exists with"
                        + " another request; send a new request_id.");
            }
            if (engine.execution(executionName(model, jobId)).isEmpty()
                    && records.read(BatchKeys.manifest(earlier)).isEmpty()) {
                engine.start(executionName(model, jobId), executionInput(earlier)); // accepted; its start was lost
            }
            return JsonResponses.ok(answer(earlier));
        }
        if (records.any(output.resolve(BatchKeys.RECORDS))) {
            throw CapstanException.conflict("The output " + output + " holds another job's results ("
                    + BatchKeys.RECORDS + "); write each job's predictions under a prefix of its own.");
        }
        long version = version(model, namedVersion, alias);
        BatchJob job = new BatchJob(jobId, model, version, input, output, format, idColumn, chunkMb << 20,
                concurrency, clock.millis());
        records.putJob(model, jobId, job.toJson());
        engine.start(executionName(model, jobId), executionInput(job));
        return JsonResponses.ok(answer(job));
    }

    /**
     * A job's execution name: job ids are a model's own, execution names the state machine's, so the model's digest
     * comes first ({@code <10 hex digits>-<job id>}, at most 75 characters of Step Functions' 80).
     */
    static String executionName(String model, String jobId) {
        return Sha256.hex(model.getBytes(StandardCharsets.UTF_8)).substring(0, 10) + "-" + jobId;
    }

    private static ObjectNode executionInput(BatchJob job) {
        ObjectNode input = JSON.createObjectNode();
        input.set("job", job.toJson());
        return input;
    }

    private HttpResponse list(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        int max = RequestFields.of(request).optionalInt("max_results").orElse(20);
        if (max < 1 || max > MAX_RESULTS) {
            throw CapstanException.invalidParameter("'max_results' must be between 1 and " + MAX_RESULTS + ".");
        }
        ObjectNode answer = JSON.createObjectNode();
        var jobs = answer.putArray("batch_predictions");
        for (JsonNode job : records.jobs(model, max)) {
            jobs.add(answer(BatchJob.fromJson(job)));
        }
        return JsonResponses.ok(answer);
    }

    private HttpResponse get(HttpRequest request, Map<String, String> path) {
        String model = RegistryLimits.checkModelName("name", path.get("name"));
        String jobId = path.get("job_id");
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw CapstanException.invalidParameter("The job id in the path is not one this API gives.");
        }
        JsonNode job = records.job(model, jobId).orElseThrow(() -> CapstanException.notFound("Batch prediction '"
                + jobId + "' of model '" + model + "' does not exist."));
        return JsonResponses.ok(answer(BatchJob.fromJson(job)));
    }

    /** The job with its execution's state, its progress and, once written, its manifest's totals. */
    private ObjectNode answer(BatchJob job) {
        ObjectNode answer = job.toJson();
        Optional<WorkflowEngine.Execution> execution = engine.execution(executionName(job.model(), job.jobId()));
        Optional<JsonNode> manifest = records.read(BatchKeys.manifest(job));
        String status = manifest.map(m -> m.path("status").asText())
                .or(() -> execution.map(WorkflowEngine.Execution::status)).orElse("PENDING");
        answer.put("status", status);
        ObjectNode progress = answer.putObject("progress");
        progress.put("chunks_done", records.count(job.output().resolve(BatchKeys.CHUNKS)));
        manifest.ifPresent(m -> {
            progress.put("chunks", m.path("chunks").asInt()).put("chunks_written", m.path("chunks_written").asInt())
                    .put("rows", m.path("rows").asLong());
            answer.set("failed_chunks", m.path("failed_chunks"));
            answer.put("manifest", BatchKeys.manifest(job).toString());
        });
        execution.ifPresent(e -> {
            answer.put("started_at", e.startedAt());
            e.stoppedAt().ifPresent(at -> answer.put("stopped_at", at));
            e.error().ifPresent(error -> answer.put("error", error));
            e.cause().ifPresent(cause -> answer.put("cause", cause));
        });
        return answer;
    }

    /** The version a job scores with: the one named, else the alias's, else the champion's; ready and servable. */
    private long version(String model, Optional<Long> named, Optional<String> alias) {
        RegisteredModel registered = registry.model(model).map(Revision::value).orElseThrow(() ->
                CapstanException.notFound("Registered Model with name=" + model + " not found"));
        long number;
        if (named.isPresent()) {
            number = named.get();
        } else {
            String chosen = alias.orElse(ModelSelector.CHAMPION);
            number = registered.alias(chosen).orElseThrow(() -> CapstanException.notFound("Model '" + model
                    + "' has no alias '" + chosen + "'."));
        }
        ModelVersion version = registry.version(model, number).map(Revision::value).orElseThrow(() ->
                CapstanException.notFound("Model Version (name=" + model + ", version=" + number + ") not found"));
        if (!version.isServable()) {
            throw CapstanException.invalidParameter("Version " + number + " of model '" + model + "' cannot be served"
                    + " (" + version.status() + (version.serving().servable() ? "" : ": " + version.serving().reason())
                    + "), so it cannot score a batch.");
        }
        return number;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }
}
