package io.capstan.drift.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.drift.distributed.DistributedChecks;
import io.capstan.drift.distributed.DriftProfileTasks;
import io.capstan.drift.function.DriftFunction;
import io.capstan.drift.function.DriftServices;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.monitoring.DriftRetraining;
import io.capstan.drift.monitoring.DriftSchedule;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.lambda.StepFunctionsWorkflows;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The drift function's Lambda entry point. Three kinds of event arrive: the EventBridge schedule's
 * ({@link DriftSchedule}: {@code {"source": "capstan.schedule", "model": …}}), which runs the scheduled checks and
 * returns their outcomes; the profile state machine's tasks ({@code {"task": "profile_chunk" | "finish", …}}, a
 * distributed check's chunks and end); and API Gateway HTTP API requests, served by {@link DriftFunction}. Clients are
 * created during init, so SnapStart snapshots them.
 */
public final class DriftLambdaHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DriftMonitor monitor;
    private final DriftFunction function;
    private final DriftProfileTasks profileTasks;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public DriftLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    DriftLambdaHandler(DriftServices services) {
        this.monitor = services.monitor();
        this.function = services.function();
        this.profileTasks = services.profileTasks();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        JsonNode json = JSON.readTree(event);
        Optional<DriftSchedule> schedule = DriftSchedule.from(json);
        if (schedule.isPresent()) {
            JSON.writeValue(output, DriftSchedule.result(schedule.get().run(monitor)));
            return;
        }
        if (json != null && json.hasNonNull(ProfileStateMachine.TASK_FIELD)) {
            JSON.writeValue(output, profileTasks.run(json));
            return;
        }
        ApiGatewayEvents.write(function.apply(ApiGatewayEvents.read(event)), output);
    }

    /** The drift checks on the clients the Lambda environment names. */
    static DriftServices fromEnvironment(Map<String, String> env) {
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        String table = LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar());
        DriftBuckets buckets = new DriftBuckets(
                LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar()),
                LambdaEnvironment.required(env, BucketDefinition.CAPTURE.nameEnvVar()),
                LambdaEnvironment.required(env, BucketDefinition.DATASETS.nameEnvVar()));
        String stateMachine = LambdaEnvironment.required(env, RetrainStateMachine.STATE_MACHINE_ARN_ENV);
        RetrainingStarter retraining = RetrainingStarter.of(DriftRetraining.TRIGGER, (model, name, input) ->
                sfn.startExecution(b -> b.stateMachineArn(stateMachine).name(name).input(input.toString())));
        Optional<DistributedChecks.Distribution> distribution = Optional.ofNullable(env.get(
                ProfileStateMachine.STATE_MACHINE_ARN_ENV)).filter(arn -> !arn.isBlank()).map(arn ->
                DistributedChecks.Distribution.of(new StepFunctionsWorkflows(sfn, arn), env));
        return DriftServices.create(dynamoDb, table, s3, buckets, retraining, new PowertoolsDriftMetrics(),
                Clock.systemUTC(), distribution);
    }
}
