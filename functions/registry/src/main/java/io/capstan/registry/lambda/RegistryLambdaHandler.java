package io.capstan.registry.lambda;

import ai.onnxruntime.OrtEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayAdapter;
import io.capstan.lambda.BundledOnnxRuntime;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryService;
import io.capstan.registry.function.ArtifactModelRegistration;
import io.capstan.registry.function.RegistryFunction;
import io.capstan.registry.onnx.OnnxModelCheck;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The registry function's Lambda entry point: a thin plain {@code aws-lambda-java-core} handler around
 * {@link RegistryFunction}. The environment is read once, here; the clients and ONNX Runtime's environment are
 * created during init, so SnapStart snapshots them.
 */
public final class RegistryLambdaHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static {
        // before any ONNX Runtime class initializes: load the package's natives in place (see BundledOnnxRuntime)
        BundledOnnxRuntime.useInLambda();
    }

    private final Function<HttpRequest, HttpResponse> function;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public RegistryLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    public RegistryLambdaHandler(Function<HttpRequest, HttpResponse> function) {
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(function.apply(ApiGatewayAdapter.toRequest(event)));
    }

    static RegistryFunction fromEnvironment(Map<String, String> env) {
        String table = LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar());
        String bucket = LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar());
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return create(dynamoDb, table, s3, S3Presigner.create(), bucket, Clock.systemUTC());
    }

    /** The function on DynamoDB and S3, checking models with ONNX Runtime. */
    public static RegistryFunction create(DynamoDbClient dynamoDb, String table, S3Client s3, S3Presigner presigner,
                                          String bucket, Clock clock) {
        TrackingService tracking = DynamoDbTracking.service(dynamoDb, table, clock);
        DynamoDbRegistryStore store = new DynamoDbRegistryStore(dynamoDb, table);
        ArtifactModelRegistration registration = new ArtifactModelRegistration(
                new S3ArtifactStore(s3, presigner, bucket), bucket, tracking,
                new OnnxModelCheck(OrtEnvironment.getEnvironment()));
        return new RegistryFunction(new RegistryService(store, registration, clock), new PromotionService(store, clock),
                RouteTable.capstan());
    }
}
