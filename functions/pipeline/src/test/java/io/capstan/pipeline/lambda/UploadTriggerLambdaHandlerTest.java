package io.capstan.pipeline.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.pipeline.engine.PipelineTriggers;
import io.capstan.pipeline.testutils.Events;
import io.capstan.pipeline.testutils.RecordingEngine;
import io.capstan.store.dynamodb.DynamoDbPipelineStore;
import io.capstan.testing.DynamoDbLocalTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays EventBridge "Object Created" events (src/test/resources/events/eventbridge) through the upload trigger's
 * Lambda entry point, on the real pipeline store (DynamoDB Local); Step Functions is replaced by a recording engine.
 */
class UploadTriggerLambdaHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DynamoDbLocalTable table;
    private RecordingEngine engine;
    private UploadTriggerLambdaHandler handler;

    @BeforeEach
    void start() {
        table = new DynamoDbLocalTable();
        engine = new RecordingEngine();
        handler = new UploadTriggerLambdaHandler(new PipelineTriggers(new DynamoDbPipelineStore(table.client,
                table.tableName), engine));
    }

    @AfterEach
    void stop() {
        table.close();
    }

    private JsonNode replay(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void handleRequest_objectCreatedDeliveredTwice_startsOneExecutionForThatVersion() throws Exception {
        String event = Events.text("eventbridge/s3-object-created.json", Map.of());

        JsonNode first = replay(event);
        JsonNode second = replay(event);

        assertThat(first.path("started").asText()).startsWith("breast-cancer-upload-");
        assertThat(second.path("started").asText()).isEmpty();
        assertThat(engine.starts).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(first.path("started").asText());
            assertThat(s.input().at("/dataset/bucket").asText()).isEqualTo("capstan-datasets");
            assertThat(s.input().at("/dataset/key").asText()).isEqualTo("datasets/breast-cancer/2026-11-22.csv");
            assertThat(s.input().at("/dataset/version_id").asText()).isEqualTo("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e");
        });
    }

    @Test
    void handleRequest_unversionedBucket_usesTheEtagAsTheVersion() throws Exception {
        JsonNode answer = replay(Events.text("eventbridge/s3-object-created-unversioned.json", Map.of()));

        assertThat(answer.path("started").asText()).startsWith("churn-upload-");
        assertThat(engine.starts).singleElement().satisfies(s -> {
            assertThat(s.modelName()).isEqualTo("churn");
            assertThat(s.input().at("/dataset/key").asText()).isEqualTo("datasets/churn/2024-06/customers.CSV");
            assertThat(s.input().at("/dataset/version_id").asText()).isEqualTo("9b2cf535f27731c974343645a3985328-2");
        });
    }

    @Test
    void handleRequest_objectThatIsNotADataset_answersNothingStarted() throws Exception {
        String event = Events.text("eventbridge/s3-object-created.json", Map.of())
                .replace("datasets/breast-cancer/2026-11-22.csv", "datasets/breast-cancer/README.md");

        JsonNode answer = replay(event);

        assertThat(answer.toString()).isEqualTo("{\"started\":\"\"}");
        assertThat(engine.starts).isEmpty();
    }
}
