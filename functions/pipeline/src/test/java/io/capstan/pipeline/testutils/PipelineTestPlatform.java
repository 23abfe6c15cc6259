package io.capstan.pipeline.testutils;

import io.capstan.pipeline.lambda.PipelineWiring;
import io.capstan.pipeline.tasks.PipelineServices;
import io.capstan.provenance.Provenance;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.ModelVersionStatus;
import io.capstan.registry.Stage;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.S3ProxyFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The pipeline's services as the tasks function wires them ({@link PipelineWiring#services}), on DynamoDB Local (in
 * memory) and S3Proxy (in memory, 127.0.0.1, a free port), with an artifact and a dataset bucket, at a fixed time.
 */
public final class PipelineTestPlatform implements AutoCloseable {
    public static final String ARTIFACTS = "capstan-artifacts";
    public static final String DATASETS = "capstan-datasets";
    public static final String TRAINER_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/capstan-trainer:1";
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:19:00Z"), ZoneOffset.UTC);
    private static final AtomicInteger MODELS = new AtomicInteger();

    private final DynamoDbLocalTable table;
    private final S3ProxyFixture s3;
    public final PipelineServices services;
    public final DynamoDbRegistryStore registryStore;

    public PipelineTestPlatform() throws Exception {
        table = new DynamoDbLocalTable();
        s3 = S3ProxyFixture.transientStore();
        s3.client().createBucket(b -> b.bucket(ARTIFACTS));
        s3.client().createBucket(b -> b.bucket(DATASETS));
        services = PipelineWiring.services(table.client, table.tableName, s3.client(), s3.presigner(),
                ARTIFACTS, DATASETS, TRAINER_IMAGE, CLOCK);
        registryStore = new DynamoDbRegistryStore(table.client, table.tableName);
    }

    /** A model name no other test of this JVM uses. */
    public static String uniqueModel(String stem) {
        return stem + "-" + MODELS.incrementAndGet();
    }

    /** Uploads a dataset to the dataset bucket; returns its ETag, which stands for its version (S3Proxy keeps none). */
    public String putDataset(String key, String csv) {
        return s3.client().putObject(b -> b.bucket(DATASETS).key(key), RequestBody.fromString(csv,
                StandardCharsets.UTF_8)).eTag().replace("\"", "");
    }

    public void putArtifact(String key, String content) {
        services.artifacts().put(key, content.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> artifact(String key) {
        return services.artifacts().get(key).map(content -> {
            try (InputStream in = content.stream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Registers {@code model} (when new) and adds a READY version stored where the registry keeps its copies; the
     * registration step itself (copying and checking an ONNX file) is not what these tests are about.
     */
    public long addReadyVersion(String model) {
        if (registryStore.model(model).isEmpty()) {
            services.registry().createRegisteredModel(model, "", Map.of());
        }
        long now = CLOCK.millis();
        long version = registryStore.allocateVersion(model);
        registryStore.createVersion(new ModelVersion(model, version, now, now, "ada", Stage.NONE, "", "runs:/r/model",
                "r", "", ModelVersionStatus.READY, "", Map.of(), "mlflow-artifacts:/registry/" + model + "/" + version
                + "/0a1b2c/", Provenance.UNKNOWN));
        return version;
    }

    @Override
    public void close() throws Exception {
        s3.close();
        table.close();
    }
}
