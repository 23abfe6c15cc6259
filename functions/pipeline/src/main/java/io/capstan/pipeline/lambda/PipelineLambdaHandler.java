package io.capstan.pipeline.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import io.capstan.lambda.ApiGatewayEvents;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.pipeline.engine.StepFunctionsEngine;
import io.capstan.pipeline.function.PipelineFunction;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbPipelineStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The pipeline API's Lambda entry point: a thin handler around {@link PipelineFunction} on Step Functions. */
public final class PipelineLambdaHandler implements RequestStreamHandler {
    private final Function<HttpRequest, HttpResponse> function;

    public PipelineLambdaHandler() {
        this(fromEnvironment(System.getenv()));
    }

    public PipelineLambdaHandler(Function<HttpRequest, HttpResponse> function) {
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.serve(input, output, function);
    }

    static PipelineFunction fromEnvironment(Map<String, String> env) {
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return new PipelineFunction(new StepFunctionsEngine(sfn, LambdaEnvironment.required(env,
                PipelineWiring.STATE_MACHINE_ENV)), new DynamoDbPipelineStore(dynamoDb,
                LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar())), RouteTable.capstan());
    }
}
