package io.capstan.drift.lambda;

import static io.capstan.drift.testutils.DriftTestPlatform.DATASETS;
import static io.capstan.drift.testutils.DriftTestPlatform.noShift;
import static io.capstan.drift.testutils.DriftTestPlatform.shiftAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.drift.function.DriftServices;
import io.capstan.drift.testutils.DriftTestPlatform;
import io.capstan.provenance.Provenance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Every sample event in {@code events/apigateway/drift/} and {@code events/schedule/} through the Lambda entry point. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftLambdaHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = Path.of("../../events");
    private static DriftTestPlatform platform;
    private static DriftLambdaHandler handler;
    private static String reportId;

    @BeforeAll
    static void start() throws Exception {
        platform = new DriftTestPlatform();
        handler = new DriftLambdaHandler(DriftServices.create(platform.dynamoDb,
                DriftTestPlatform.TABLE, platform.s3, DriftTestPlatform.BUCKETS, platform.retraining,
                platform.metrics, Clock.systemUTC()));
        platform.registerChampion("churn", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("churn", 1, 2000, shiftAll(1), Instant.now().minusSeconds(60), 2, 1);
        platform.put(DATASETS, "incoming/churn-2026-11-22.csv", platform.csv(noShift()));
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    @Order(1)
    void apiEvent_trafficCheck() throws Exception {
        JsonNode response = invoke("apigateway/drift/01-run-drift-check.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertThat(body.path("summary").path("dataset_drift").asBoolean()).isTrue();
        reportId = body.path("summary").path("report_id").asText();
    }

    @Test
    @Order(2)
    void apiEvent_datasetCheck() throws Exception {
        JsonNode response = invoke("apigateway/drift/02-run-dataset-drift-check.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertThat(body.path("summary").path("mode").asText()).isEqualTo("exact");
    }

    @Test
    @Order(3)
    void apiEvent_listReports() throws Exception {
        JsonNode response = invoke("apigateway/drift/03-list-drift-reports.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(response.path("body").asText()).path("reports").findValuesAsText("report_id"))
                .contains(reportId);
    }

    @Test
    @Order(4)
    void apiEvent_htmlReport() throws Exception {
        JsonNode response = invoke("apigateway/drift/04-get-drift-report-html.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        String html = response.path("isBase64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(response.path("body").asText()), StandardCharsets.UTF_8)
                : response.path("body").asText();
        assertThat(html).startsWith("<!DOCTYPE html>");
    }

    @Test
    @Order(5)
    void scheduleEvents_checkAndReportEachModel() throws Exception {
        JsonNode all = invoke("schedule/drift-all-models.json");
        JsonNode one = invoke("schedule/drift-one-model.json");

        assertThat(all.path("checks").findValuesAsText("model_name")).containsExactly("churn");
        assertThat(all.path("checks").get(0).path("dataset_drift").asBoolean()).isTrue();
        assertThat(one.path("checks").get(0).path("html_report_uri").asText()).endsWith("/report.html");
        assertThat(platform.store.summaries("churn", 10)).hasSize(4);
    }

    private static JsonNode invoke(String event) throws Exception {
        String text = Files.readString(EVENTS.resolve(event), StandardCharsets.UTF_8)
                .replace("${DATASET_BUCKET}", DATASETS)
                .replace("${REPORT_ID}", reportId == null ? "" : reportId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }
}
