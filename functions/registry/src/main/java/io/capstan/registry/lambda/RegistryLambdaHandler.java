package io.capstan.registry.lambda;

import ai.onnxruntime.OrtEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.FunctionId;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.BundledOnnxRuntime;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.registration.RegistryServices;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegistrationQueue;
import io.capstan.registry.RegistryService;
import io.capstan.registry.function.RegistryFunction;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbTracking;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The registry function's Lambda entry point: a thin plain {@code aws-lambda-java-core} handler around
 * {@link RegistryFunction} for API Gateway requests, which also takes the {@link RegistrationEvent}s it sends itself
 * to register large sources outside the request ({@link LambdaSelfInvocation}). The environment is read once, here;
 * the clients and ONNX Runtime's environment are created during init, so SnapStart snapshots them.
 */
public final class RegistryLambdaHandler implements RequestStreamHandler {
    /** Sources of more bytes than this register outside the request; default {@value #DEFAULT_BACKGROUND_BYTES}. */
    public static final String BACKGROUND_BYTES_ENV = "CAPSTAN_REGISTRATION_BACKGROUND_BYTES";
    static final long DEFAULT_BACKGROUND_BYTES = RegistryService.DEFAULT_BACKGROUND_BYTES;
    private static final String FUNCTION_NAME_ENV = "AWS_LAMBDA_FUNCTION_NAME";
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // before any ONNX Runtime class initializes: load the package's natives in place (see BundledOnnxRuntime)
        BundledOnnxRuntime.useInLambda();
    }

    private final Wiring wiring;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public RegistryLambdaHandler() {
        this(Wiring.fromEnvironment(System.getenv()));
    }

    RegistryLambdaHandler(Wiring wiring) {
        this.wiring = Objects.requireNonNull(wiring, "wiring");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        Optional<RegistrationEvent> registration = RegistrationEvent.from(event);
        if (registration.isPresent()) {
            ModelVersion done = wiring.registry().completeRegistration(registration.get().name(),
                    registration.get().version());
            JSON.writeValue(output, Map.of("name", done.name(), "version", done.version(),
                    "status", done.status().name()));
            return;
        }
        ApiGatewayEvents.write(wiring.function().apply(ApiGatewayEvents.read(event)), output);
    }

    /** The function on DynamoDB and S3, checking models with ONNX Runtime, registering every version in its request. */
    public static RegistryFunction create(DynamoDbClient dynamoDb, String table, S3Client s3, S3Presigner presigner,
                                          String bucket, Clock clock) {
        return Wiring.create(dynamoDb, table, s3, presigner, bucket, clock, Optional.empty()).function();
    }

    /**
     * The registry service and the HTTP function on it.
     *
     * @param registry what completes the registrations handed to the background
     * @param function the MLflow registry API and Capstan's serving controls
     */
    record Wiring(RegistryService registry, RegistryFunction function) {

        static Wiring fromEnvironment(Map<String, String> env) {
            String table = LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar());
            String bucket = LambdaEnvironment.required(env, BucketDefinition.ARTIFACTS.nameEnvVar());
            DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
            LambdaClient lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            RegistrationQueue self = new LambdaSelfInvocation(lambda, LambdaEnvironment.required(env,
                    FUNCTION_NAME_ENV), LambdaEnvironment.required(env, FunctionId.ALIAS_ENV));
            return create(dynamoDb, table, s3, S3Presigner.create(), bucket, Clock.systemUTC(),
                    Optional.of(new Background(self, LambdaEnvironment.number(env, BACKGROUND_BYTES_ENV,
                            DEFAULT_BACKGROUND_BYTES))));
        }

        static Wiring create(DynamoDbClient dynamoDb, String table, S3Client s3, S3Presigner presigner, String bucket,
                             Clock clock, Optional<Background> background) {
            RegistryServices services = RegistryServices.create(DynamoDbTracking.service(dynamoDb, table, clock),
                    dynamoDb, table, s3, presigner, bucket, OrtEnvironment.getEnvironment(), clock);
            RegistryService registry = background.map(b -> services.registry().registeringInBackground(b.queue(),
                    b.thresholdBytes())).orElse(services.registry());
            return new Wiring(registry, new RegistryFunction(registry, services.promotions(), RouteTable.capstan()));
        }
    }

    /** Where registrations of sources over {@code thresholdBytes} go. */
    record Background(RegistrationQueue queue, long thresholdBytes) {
    }
}
