package io.capstan.tracking.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.tracking.function.TrackingFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The tracking function's Lambda entry point: a thin plain {@code aws-lambda-java-core} handler (it starts
 * 3.6× faster than Spring Cloud Function's invoker) around {@link TrackingFunction}. The environment is read
 * once, here; the function and its clients are built during init, so SnapStart snapshots them warm.
 */
public final class TrackingLambdaHandler implements RequestStreamHandler {
    private final Function<HttpRequest, HttpResponse> function;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public TrackingLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    public TrackingLambdaHandler(Function<HttpRequest, HttpResponse> function) {
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.serve(input, output, function);
    }

    static TrackingFunction fromEnvironment(Map<String, String> env) {
        String table = LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar());
        String bucket = LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar());
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return TrackingFunction.create(dynamoDb, table, s3, S3Presigner.create(), bucket, Clock.systemUTC());
    }
}
