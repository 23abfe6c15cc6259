package io.capstan.pipeline.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.RouteTable;
import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.function.PipelineFunction;
import io.capstan.pipeline.testutils.Events;
import io.capstan.pipeline.testutils.RecordingEngine;
import io.capstan.store.dynamodb.DynamoDbPipelineStore;
import io.capstan.testing.DynamoDbLocalTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays the API Gateway (HTTP API, payload 2.0) events in src/test/resources/events/apigateway/pipeline through the
 * pipeline API's Lambda entry point: the real function and pipeline store (DynamoDB Local), a recording engine in place
 * of Step Functions.
 */
class PipelineLambdaHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final DynamoDbLocalTable TABLE = new DynamoDbLocalTable();
    private static final DynamoDbPipelineStore STORE = new DynamoDbPipelineStore(TABLE.client, TABLE.tableName);
    private RecordingEngine engine;
    private PipelineLambdaHandler handler;

    @BeforeEach
    void newEngine() {
        engine = new RecordingEngine();
        handler = new PipelineLambdaHandler(new PipelineFunction(engine, STORE, RouteTable.capstan()));
    }

    private APIGatewayV2HTTPResponse replay(String resource, Map<String, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(Events.apiGateway("apigateway/pipeline/" + resource,
                    values)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Events.apiGatewayResponse(out.toByteArray());
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        String body = response.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(response.getBody()),
                StandardCharsets.UTF_8) : response.getBody();
        return JSON.readTree(body);
    }

    @Test
    void handleRequest_startRun_startsAManualExecutionWithTheBodyAsInput() throws Exception {
        APIGatewayV2HTTPResponse response = replay("01-start-run.json", Map.of());

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode run = body(response).path("run");
        assertThat(run.path("model_name").asText()).isEqualTo("breast-cancer");
        assertThat(run.path("execution").asText()).startsWith("breast-cancer-manual-");
        assertThat(run.path("status").asText()).isEqualTo("RUNNING");
        assertThat(engine.starts).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(run.path("execution").asText());
            assertThat(s.input().path("model_name").asText()).isEqualTo("breast-cancer");
            assertThat(s.input().path("trigger").asText()).isEqualTo("manual");
            assertThat(s.input().path("dataset_uri").asText())
                    .isEqualTo("s3://capstan-datasets/datasets/breast-cancer/2026-11-22.csv");
            assertThat(s.input().at("/gate/threshold").asDouble()).isEqualTo(0.9);
        });
    }

    @Test
    void handleRequest_startRunWithNonS3Dataset_answers400AndStartsNothing() throws Exception {
        APIGatewayV2HTTPResponse response = replay("02-start-run-bad-dataset.json", Map.of());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(body(response).path("message").asText()).contains("'dataset_uri' must be s3://<bucket>/<key>");
        assertThat(engine.starts).isEmpty();
    }

    @Test
    void handleRequest_approvalDecidedTwice_resumesOnceAndRefusesTheSecond() throws Exception {
        String execution = "breast-cancer-upload-0123456789abcdef0123";
        STORE.putApproval(new ApprovalRequest("breast-cancer", execution, 4, "task-token-4",
                "version 4: on the holdout accuracy 0.9500 >= threshold 0.9000", ApprovalRequest.PENDING, "", ""));

        APIGatewayV2HTTPResponse first = replay("03-decide-approval.json", Map.of("EXECUTION", execution));
        APIGatewayV2HTTPResponse second = replay("03-decide-approval.json", Map.of("EXECUTION", execution));

        assertThat(first.getStatusCode()).isEqualTo(200);
        JsonNode approval = body(first).path("approval");
        assertThat(approval.path("status").asText()).isEqualTo("APPROVED");
        assertThat(approval.path("version").asText()).isEqualTo("4");
        assertThat(approval.path("decided_by").asText()).isEqualTo("arn:aws:iam::123456789012:user/ml-lead");
        assertThat(approval.path("reason").asText()).isEqualTo("holdout looks right");
        assertThat(engine.resumed).singleElement().satisfies(d -> {
            assertThat(d.token()).isEqualTo("task-token-4");
            assertThat(d.status()).isEqualTo(ApprovalRequest.APPROVED);
        });
        assertThat(second.getStatusCode()).isEqualTo(409);
        assertThat(body(second).path("error_code").asText()).isEqualTo("RESOURCE_CONFLICT");
        assertThat(STORE.approval("breast-cancer", execution).orElseThrow().decidedBy())
                .isEqualTo("arn:aws:iam::123456789012:user/ml-lead");
    }
}
