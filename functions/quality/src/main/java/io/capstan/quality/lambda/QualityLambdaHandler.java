package io.capstan.quality.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.function.QualityFunction;
import io.capstan.quality.storage.S3QualityStorage;
import io.capstan.storage.BucketDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The quality function's Lambda entry point: API Gateway HTTP API requests served by {@link QualityFunction}, on the
 * capture bucket the environment names. The S3 client is created during init, so SnapStart snapshots it; DuckDB starts
 * per check, in the request.
 */
public final class QualityLambdaHandler implements RequestStreamHandler {
    private final QualityFunction function;

    /** Lambda's constructor: wires the function from the environment CDK sets. */
    public QualityLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    QualityLambdaHandler(QualityFunction function) {
        this.function = function;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.write(function.apply(ApiGatewayEvents.read(input.readAllBytes())), output);
    }

    /** The quality function on the clients the Lambda environment names. */
    static QualityFunction fromEnvironment(Map<String, String> env) {
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        S3QualityStorage storage = new S3QualityStorage(s3,
                LambdaEnvironment.required(env, BucketDefinition.CAPTURE.nameEnvVar()));
        Clock clock = Clock.systemUTC();
        return new QualityFunction(new QualityMonitor(storage, clock), storage, clock, RouteTable.capstan());
    }
}
