package io.capstan.pipeline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.pipeline.ExecutionNames;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.UploadClaim;
import io.capstan.pipeline.tasks.PipelineRequest;
import io.capstan.pipeline.testutils.RecordingEngine;
import io.capstan.store.dynamodb.DynamoDbPipelineStore;
import io.capstan.testing.DynamoDbLocalTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Upload triggers on the real pipeline store (DynamoDB Local); the engine only records what it is asked to start. */
class PipelineTriggersTest {
    private static final String BUCKET = "capstan-datasets";
    private static final AtomicInteger MODELS = new AtomicInteger();
    @RegisterExtension
    static final DynamoDbLocalTable TABLE = new DynamoDbLocalTable();
    private static final DynamoDbPipelineStore STORE = new DynamoDbPipelineStore(TABLE.client, TABLE.tableName);
    private RecordingEngine engine;
    private PipelineTriggers triggers;
    private String model;

    @BeforeEach
    void newEngine() {
        engine = new RecordingEngine();
        triggers = new PipelineTriggers(STORE, engine);
        // every test uploads under its own model, so claims never carry over between tests
        model = "churn-" + MODELS.incrementAndGet();
    }

    @Test
    void onUpload_datasetKey_startsAnUploadExecutionWithTheObjectAsInput() {
        String key = "datasets/" + model + "/2024-06.csv";

        Optional<PipelineExecution> started = triggers.onUpload(BUCKET, key, "v1");

        assertThat(started).isPresent();
        String name = started.get().name();
        assertThat(name).startsWith(model + "-upload-").matches("[A-Za-z0-9_-]{1,80}");
        assertThat(ExecutionNames.belongsTo(name, model)).isTrue();
        assertThat(engine.starts).singleElement().satisfies(s -> {
            assertThat(s.modelName()).isEqualTo(model);
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.trigger()).isEqualTo("upload");
        });
        // the input is a request the validate task accepts, naming this very object version
        PipelineRequest request = PipelineRequest.fromJson(engine.starts.get(0).input());
        assertThat(request.modelName()).isEqualTo(model);
        assertThat(request.datasetUri()).isEqualTo("s3://" + BUCKET + "/" + key);
        assertThat(request.datasetVersion()).isEqualTo("v1");
        assertThat(request.trigger()).isEqualTo("upload");
    }

    @Test
    void onUpload_sameObjectVersionAgain_startsNothingMore() {
        String key = "datasets/" + model + "/2024-06.csv";

        Optional<PipelineExecution> first = triggers.onUpload(BUCKET, key, "v1");
        Optional<PipelineExecution> again = triggers.onUpload(BUCKET, key, "v1");

        assertThat(first).isPresent();
        assertThat(again).isEmpty();
        assertThat(engine.starts).hasSize(1);
    }

    @Test
    void onUpload_newVersionOfTheSameKey_startsAnotherExecution() {
        String key = "datasets/" + model + "/latest.csv";

        String first = triggers.onUpload(BUCKET, key, "v1").orElseThrow().name();
        String second = triggers.onUpload(BUCKET, key, "v2").orElseThrow().name();

        assertThat(second).isNotEqualTo(first);
        assertThat(engine.starts).extracting(RecordingEngine.Started::name).containsExactly(first, second);
    }

    @Test
    void onUpload_sameVersionFromManyDeliveriesAtOnce_startsExactlyOneExecution() throws Exception {
        String key = "datasets/" + model + "/2024-06.csv";
        List<Callable<Optional<PipelineExecution>>> deliveries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deliveries.add(() -> triggers.onUpload(BUCKET, key, "v1"));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Optional<PipelineExecution>> results = new ArrayList<>();
        try {
            for (Future<Optional<PipelineExecution>> f : pool.invokeAll(deliveries)) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(engine.starts).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"datasets/MODEL/notes.txt", "uploads/MODEL/2024-06.csv", "datasets/2024-06.csv",
            "datasets//2024-06.csv"})
    void onUpload_keyThatIsNotADataset_startsAndClaimsNothing(String pattern) {
        String key = pattern.replace("MODEL", model);

        assertThat(triggers.onUpload(BUCKET, key, "v1")).isEmpty();

        assertThat(engine.starts).isEmpty();
        // the version is still unclaimed
        assertThat(STORE.claimUpload(new UploadClaim(BUCKET, key, "v1", "probe", "probe"))).isTrue();
    }

    @Test
    void onUpload_startFailedOnce_retriedEventStartsTheExecution() {
        String key = "datasets/" + model + "/2024-06.csv";
        engine.failNextStart(new CapstanException(ErrorCode.REQUEST_LIMIT_EXCEEDED, "Rate exceeded"));
        try {
            triggers.onUpload(BUCKET, key, "v1");
        } catch (CapstanException expected) {
            // the Lambda invocation fails and EventBridge retries it
        }

        Optional<PipelineExecution> retried = triggers.onUpload(BUCKET, key, "v1");

        assertThat(retried).isPresent();
        assertThat(engine.starts).extracting(RecordingEngine.Started::input).extracting(JsonNode::toString)
                .singleElement().asString().contains("\"version_id\":\"v1\"");
    }

    @Test
    void onUpload_startFails_rethrowsTheFailureAndLeavesTheVersionUnclaimed() {
        String key = "datasets/" + model + "/2024-06.csv";
        CapstanException throttled = new CapstanException(ErrorCode.REQUEST_LIMIT_EXCEEDED, "Rate exceeded");
        engine.failNextStart(throttled);

        assertThatThrownBy(() -> triggers.onUpload(BUCKET, key, "v1")).isSameAs(throttled);

        assertThat(engine.starts).isEmpty();
        assertThat(STORE.claimUpload(new UploadClaim(BUCKET, key, "v1", "probe", "probe"))).isTrue();
    }
}
