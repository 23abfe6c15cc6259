package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.local.testutils.PlatformState;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A data directory written by the main branch before the run search index (commit 217f4a7: its demo, then its
 * platform stopped) opens with today's platform with nothing lost: every experiment, run (params, tags, every metric
 * point), model version and audit event reads back as that branch's platform answered it ({@code state.json}, written
 * by {@link PlatformState} against it), and the experiments, their runs and the model versions (by run) are indexed for search on the way. On the Lambda path, so
 * that the searches read DynamoDB as the deployed function does.
 */
class UpgradeFromMainTest {
    private static final Path FIXTURE = Path.of("src/test/resources/upgrade/main-217f4a7");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void dataDirectoryOfMain_readsBackEverythingItHeld_andIsIndexedForSearch() throws Exception {
        Files.createDirectories(dataDir.resolve("dynamodb"));
        Files.copy(FIXTURE.resolve("dynamodb/shared-local-instance.db"),
                dataDir.resolve("dynamodb/shared-local-instance.db"));
        JsonNode expected = JSON.readTree(FIXTURE.resolve("state.json").toFile());
        System.setProperty(LocalPlatform.LAMBDA_PATH_PROPERTY, "true");
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0)) {
            JsonNode state = new PlatformState(platform.url()).read();

            assertThat(state.path("runs").size()).isEqualTo(5);
            assertThat(state).isEqualTo(expected);
            for (Iterator<String> ids = expected.path("experiments").fieldNames(); ids.hasNext(); ) {
                String experimentId = ids.next();
                Map<String, AttributeValue> ready = platform.engines().dynamoDbClient().getItem(b -> b
                        .tableName(platform.engines().tableName()).consistentRead(true).key(Map.of(
                                "pk", AttributeValue.fromS("RIX#" + experimentId),
                                "sk", AttributeValue.fromS("READY")))).item();
                assertThat(ready).as("experiment " + experimentId + " indexed").isNotEmpty();
            }
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, JsonNode> model : expected.path("models").properties()) {
                for (Map.Entry<String, JsonNode> version : model.getValue().path("versions").properties()) {
                    String filter = URLEncoder.encode("run_id = '" + version.getValue().path("run_id").asText()
                            + "'", StandardCharsets.UTF_8);
                    JsonNode found = JSON.readTree(http.send(HttpRequest.newBuilder(platform.url().resolve(
                            "/api/2.0/mlflow/model-versions/search?filter=" + filter)).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    assertThat(found.path("model_versions").findValuesAsText("version"))
                            .as("the versions of run " + version.getValue().path("run_id").asText())
                            .contains(version.getKey());
                }
            }
        } finally {
            System.clearProperty(LocalPlatform.LAMBDA_PATH_PROPERTY);
        }
    }
}
