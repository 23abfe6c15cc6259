package io.capstan.registry.testutils;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import io.capstan.registry.function.RegistryFunction;
import io.capstan.registry.lambda.RegistryLambdaHandler;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.S3ProxyFixture;
import io.capstan.tracking.Run;
import io.capstan.tracking.TrackingService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The registry function on real engines, in process: DynamoDB Local (embedded, in memory), S3Proxy and ONNX Runtime,
 * with a tracking service on the same table to create the runs models are registered from.
 */
public final class RegistryTestPlatform implements AutoCloseable {
    public static final String TABLE = "capstan-test";
    public static final String BUCKET = "capstan-artifacts";

    private final DynamoDbLocalTable table;
    private final S3ProxyFixture s3;
    public final DynamoDbClient dynamoDb;
    public final TrackingService tracking;
    public final S3ArtifactStore artifacts;
    public final RegistryFunction function;

    public RegistryTestPlatform() throws Exception {
        table = new DynamoDbLocalTable(TABLE);
        dynamoDb = table.client;
        s3 = S3ProxyFixture.transientStore();
        s3.client().createBucket(b -> b.bucket(BUCKET));
        tracking = DynamoDbTracking.service(dynamoDb, TABLE, Clock.systemUTC());
        tracking.ensureDefaultExperiment();
        artifacts = new S3ArtifactStore(s3.client(), s3.presigner(), BUCKET);
        OrtEnvironment.getEnvironment();
        function = RegistryLambdaHandler.create(dynamoDb, TABLE, s3.client(), s3.presigner(), BUCKET, Clock.systemUTC());
    }

    public software.amazon.awssdk.services.s3.S3Client s3Client() {
        return s3.client();
    }

    public software.amazon.awssdk.services.s3.presigner.S3Presigner s3Presigner() {
        return s3.presigner();
    }

    /** A finished run with params, metrics, a commit tag and a dataset, and {@code files} under its artifacts. */
    public Run runWithArtifacts(String folder, Map<String, byte[]> files) {
        Run run = tracking.createRun("0", "ada", null, null, new HashMap<>(Map.of("mlflow.source.git.commit", "0a1b2c3")));
        String runId = run.info().runId();
        tracking.logBatch(runId, java.util.List.of(new io.capstan.tracking.Metric("accuracy", 0.97, 1L, 3L)),
                java.util.List.of(Map.entry("algorithm", "logistic-regression"), Map.entry("seed", "42"),
                        Map.entry("epochs", "3")), java.util.List.of());
        tracking.logInputs(runId, java.util.List.of(new io.capstan.tracking.DatasetInput(new io.capstan.tracking.Dataset(
                "breast_cancer", "9f3c2d", "local", "{\"uri\": \"breast_cancer.csv\"}", null, null), Map.of())));
        String root = run.info().artifactUri().substring("mlflow-artifacts:/".length());
        files.forEach((name, bytes) -> artifacts.put(root + "/" + folder + "/" + name, bytes));
        return tracking.getRun(runId);
    }

    public HttpResponse call(String method, String path, String body) {
        return function.apply(new HttpRequest(method, path, Map.of(), Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "ada@example.com"));
    }

    public HttpResponse get(String path, String query) {
        return function.apply(new HttpRequest("GET", path, QueryString.parse(query), Map.of(), null, "ada@example.com"));
    }

    @Override
    public void close() throws Exception {
        s3.close();
        table.close();
    }
}
