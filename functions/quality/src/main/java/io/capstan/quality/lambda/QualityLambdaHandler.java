package io.capstan.quality.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.monitoring.DatasetRetraining;
import io.capstan.monitoring.QualityQueries;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.QualitySchedule;
import io.capstan.quality.engine.AthenaJoin;
import io.capstan.quality.engine.DuckDbJoin;
import io.capstan.quality.engine.JoinEngine;
import io.capstan.quality.engine.JoinEngineChoice;
import io.capstan.quality.function.QualityFunction;
import io.capstan.quality.serving.RegistryServingControl;
import io.capstan.quality.serving.Retraining;
import io.capstan.quality.storage.QualityStorage;
import io.capstan.quality.storage.S3QualityStorage;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryStore;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbDriftStore;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The quality function's Lambda entry point: scheduled checks and API Gateway HTTP API requests, on the capture
 * bucket the environment names. The clients are created during init, so SnapStart snapshots them; DuckDB starts
 * per check, in the request, and Athena takes windows above the size the environment sets.
 */
public final class QualityLambdaHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When the invocation running now must end (epoch ms): an Athena query still running near it is stopped. */
    private static volatile long deadline = Long.MAX_VALUE;

    private final QualityMonitor monitor;
    private final QualityFunction function;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public QualityLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    QualityLambdaHandler(QualityMonitor monitor, QualityStorage storage, Optional<String> feedbackFiles) {
        this.monitor = monitor;
        this.function = new QualityFunction(monitor, storage, feedbackFiles, Clock.systemUTC(), RouteTable.capstan());
    }

    private QualityLambdaHandler(Wiring wiring) {
        this(wiring.monitor(), wiring.storage(), wiring.feedbackFiles());
    }

    /**
     * Two kinds of event arrive: the EventBridge schedule's ({@link QualitySchedule}), which runs the scheduled checks
     * and returns their outcomes, and API Gateway HTTP API requests, served by {@link QualityFunction}.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        deadline = context == null ? Long.MAX_VALUE : System.currentTimeMillis() + context.getRemainingTimeInMillis();
        byte[] event = input.readAllBytes();
        Optional<QualitySchedule> schedule = QualitySchedule.from(JSON.readTree(event));
        if (schedule.isPresent()) {
            JSON.writeValue(output, QualitySchedule.result(schedule.get().run(monitor)));
            return;
        }
        ApiGatewayEvents.write(function.apply(ApiGatewayEvents.read(event)), output);
    }

    private record Wiring(QualityMonitor monitor, QualityStorage storage, Optional<String> feedbackFiles) {
    }

    /** The quality checks on the clients the Lambda environment names, publishing metrics to CloudWatch. */
    private static Wiring fromEnvironment(Map<String, String> env) {
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3QualityStorage storage = new S3QualityStorage(s3,
                LambdaEnvironment.required(env, BucketDefinition.CAPTURE.nameEnvVar()));
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        RegistryStore registry = new DynamoDbRegistryStore(dynamoDb,
                LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar()));
        Clock clock = Clock.systemUTC();
        String datasets = LambdaEnvironment.required(env, BucketDefinition.DATASETS.nameEnvVar());
        SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        String stateMachine = LambdaEnvironment.required(env, RetrainStateMachine.STATE_MACHINE_ARN_ENV);
        Retraining retraining = Retraining.on(new DatasetRetraining(datasets, storage::newest,
                new DynamoDbDriftStore(dynamoDb, LambdaEnvironment.required(env,
                        TableDefinition.METADATA.tableNameEnvVar())), RetrainingStarter.of(Retraining.TRIGGER,
                (model, name, input) -> sfn.startExecution(b -> b.stateMachineArn(stateMachine).name(name)
                        .input(input.toString()))), clock));
        return new Wiring(new QualityMonitor(storage, joinEngine(env, storage, s3), new PowertoolsQualityMetrics(),
                new RegistryServingControl(registry, new PromotionService(registry, clock)), retraining, clock),
                storage, Optional.of(datasets));
    }

    /**
     * DuckDB in the function (40% of its memory, spilling to /tmp) up to the window size the environment sets, and
     * Athena above it when the stack names a workgroup.
     */
    private static JoinEngine joinEngine(Map<String, String> env, QualityStorage storage, S3Client s3) {
        int memoryMib = (int) LambdaEnvironment.number(env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", 6144);
        DuckDbJoin embedded = new DuckDbJoin(storage, DuckDbJoin.Limits.forFunction(memoryMib,
                Path.of(System.getProperty("java.io.tmpdir"), "duckdb-spill")));
        String workgroup = env.get(QualityQueries.WORKGROUP_ENV);
        Optional<JoinEngine> athena = workgroup == null || workgroup.isBlank() ? Optional.empty()
                : Optional.of(new AthenaJoin(AthenaClient.builder().httpClient(UrlConnectionHttpClient.create())
                        .build(), (bucket, key) -> s3.getObject(b -> b.bucket(bucket).key(key)),
                        new AthenaJoin.Tables(workgroup, LambdaEnvironment.required(env, QualityQueries.DATABASE_ENV),
                                QualityQueries.PREDICTIONS_TABLE, QualityQueries.FEEDBACK_TABLE),
                        () -> deadline - System.currentTimeMillis()));
        return new JoinEngineChoice(storage, embedded, athena, LambdaEnvironment.number(env,
                QualityQueries.EMBEDDED_UP_TO_BYTES_ENV, QualityQueries.DEFAULT_EMBEDDED_UP_TO_BYTES));
    }
}
