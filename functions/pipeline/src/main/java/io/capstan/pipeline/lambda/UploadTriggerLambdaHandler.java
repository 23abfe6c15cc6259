package io.capstan.pipeline.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.lambda.LambdaEnvironment;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.engine.PipelineTriggers;
import io.capstan.pipeline.engine.StepFunctionsEngine;
import io.capstan.storage.TableDefinition;
import io.capstan.store.dynamodb.DynamoDbPipelineStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The target of the EventBridge rule on the dataset bucket: an S3 "Object Created" event for
 * {@code datasets/<model>/...} starts retraining, once per object version.
 */
public final class UploadTriggerLambdaHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineTriggers triggers;

    public UploadTriggerLambdaHandler() {
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        var env = System.getenv();
        this.triggers = new PipelineTriggers(new DynamoDbPipelineStore(dynamoDb,
                LambdaEnvironment.required(env, TableDefinition.METADATA.tableNameEnvVar())),
                new StepFunctionsEngine(sfn, LambdaEnvironment.required(env, PipelineWiring.STATE_MACHINE_ENV)));
    }

    public UploadTriggerLambdaHandler(PipelineTriggers triggers) {
        this.triggers = Objects.requireNonNull(triggers, "triggers");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        JsonNode detail = event.path("detail");
        String bucket = detail.at("/bucket/name").asText();
        String key = detail.at("/object/key").asText();
        String version = detail.at("/object/version-id").asText(detail.at("/object/etag").asText(""));
        Optional<PipelineExecution> started = triggers.onUpload(bucket, key, version);
        JSON.writeValue(output, JSON.createObjectNode().put("started", started.map(PipelineExecution::name).orElse("")));
    }
}
