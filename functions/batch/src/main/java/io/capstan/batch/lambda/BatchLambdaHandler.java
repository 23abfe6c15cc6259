package io.capstan.batch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.batch.BatchStateMachine;
import io.capstan.batch.api.BatchFunction;
import io.capstan.batch.api.BatchLocations;
import io.capstan.batch.api.S3BatchRecords;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.lambda.StepFunctionsWorkflows;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The batch API's Lambda entry point: API Gateway HTTP API requests, served by {@link BatchFunction} on the clients
 * the environment names (created during init, so SnapStart snapshots them).
 */
public final class BatchLambdaHandler implements RequestStreamHandler {
    private final BatchFunction function;

    public BatchLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    BatchLambdaHandler(BatchFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.write(function.apply(ApiGatewayEvents.read(input.readAllBytes())), output);
    }

    private static BatchFunction fromEnvironment(Map<String, String> env) {
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return new BatchFunction(new DynamoDbRegistryStore(dynamoDb,
                LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar())),
                new S3BatchRecords(s3, LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar())),
                new StepFunctionsWorkflows(sfn, LambdaEnvironment.required(env, BatchStateMachine.STATE_MACHINE_ARN_ENV)),
                BatchLocations.parse(LambdaEnvironment.required(env, BatchStateMachine.LOCATIONS_ENV)), Clock.systemUTC(),
                RouteTable.capstan());
    }
}
