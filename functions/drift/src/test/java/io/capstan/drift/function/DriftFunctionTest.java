package io.capstan.drift.function;

import static io.capstan.drift.testutils.DriftTestPlatform.DATASETS;
import static io.capstan.drift.testutils.DriftTestPlatform.noShift;
import static io.capstan.drift.testutils.DriftTestPlatform.shiftAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.drift.testutils.DriftTestPlatform;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.provenance.Provenance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriftFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T10:20:00Z");
    private static DriftTestPlatform platform;
    private static DriftFunction function;

    @BeforeAll
    static void start() throws Exception {
        platform = new DriftTestPlatform();
        function = platform.services(Clock.fixed(NOW, ZoneOffset.UTC)).function();
        platform.registerChampion("churn", Map.of(), true, Provenance.UNKNOWN);
        platform.capture("churn", 1, 2000, shiftAll(1), NOW.minusSeconds(120), 2, 1);
        platform.put(DATASETS, "incoming/churn.csv", platform.csv(noShift()));
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void operations_coverEveryDriftRoute() {
        assertThat(function.operations()).containsExactlyInAnyOrderElementsOf(
                RouteTable.capstan().routesOf(FunctionId.DRIFT).stream().map(Route::operation).toList());
    }

    @Test
    void runCheck_thenListAndReadItsReports() throws Exception {
        HttpResponse run = call("POST", "/models/churn/drift", "{}", "");
        assertThat(run.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(run.body());
        String reportId = body.path("summary").path("report_id").asText();
        assertThat(body.path("summary").path("dataset_drift").asBoolean()).isTrue();
        assertThat(body.path("summary").path("mode").asText()).isEqualTo("sketch");
        assertThat(body.path("summary").path("trigger").asText()).isEqualTo("api");
        assertThat(body.path("report").path("columns").size()).isEqualTo(DriftTestPlatform.FEATURES.size());

        HttpResponse exact = call("POST", "/models/churn/drift", "{\"dataset_uri\": \"s3://" + DATASETS
                + "/incoming/churn.csv\"}", "");
        assertThat(exact.status()).isEqualTo(200);
        assertThat(JSON.readTree(exact.body()).path("summary").path("dataset_drift").asBoolean()).isFalse();

        JsonNode list = JSON.readTree(call("GET", "/models/churn/drift", null, "max_results=1").body());
        assertThat(list.path("reports").size()).isEqualTo(1);
        JsonNode all = JSON.readTree(call("GET", "/models/churn/drift", null, "").body());
        assertThat(all.path("reports").findValuesAsText("report_id")).contains(reportId);

        HttpResponse report = call("GET", "/models/churn/drift/" + reportId, null, "");
        assertThat(report.status()).isEqualTo(200);
        assertThat(JSON.readTree(report.body()).path("report").path("dataset_drift").asBoolean()).isTrue();
        HttpResponse html = call("GET", "/models/churn/drift/" + reportId, null, "format=html");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.headers().get("Content-Type")).startsWith("text/html");
        assertThat(new String(html.body(), StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {4} naming {5}")
    @CsvSource(delimiter = '|', value = {
        "POST|/models/churn/drift|{\"dataset_uri\": \"https://example.com/a.csv\"}||400|dataset_uri",
        "POST|/models/churn/drift|{\"reference_uri\": \"s3://b/ref.csv\"}||400|dataset_uri",
        "POST|/models/churn/drift|{\"window_hours\": -1}||400|window_hours",
        "POST|/models/churn/drift|{\"window_hours\": \"soon\"}||400|window_hours",
        "POST|/models/churn/drift|{\"version\": \"x\"}||400|version",
        "POST|/models/churn/drift|[1, 2]||400|JSON object",
        "POST|/models/churn/drift|{\"dataset_uri\": \"s3://capstan-datasets/none.csv\"}||400|none.csv",
        "POST|/models/churn/drift|{\"version\": 7}||404|version=7",
        "POST|/models/nobody/drift|{}||404|nobody",
        "GET|/models/churn/drift||max_results=0|400|max_results",
        "GET|/models/churn/drift/20260101T000000Z-abcdef||format=pdf|400|format",
        "GET|/models/churn/drift/20260101T000000Z-abcdef|||404|20260101T000000Z-abcdef",
    })
    void badInput_mlflowShapedErrorNamingTheField(String method, String path, String body, String query,
                                                  int status, String named) throws Exception {
        HttpResponse response = call(method, path, body, query == null ? "" : query);

        assertThat(response.status()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("error_code").asText()).isNotEmpty();
        assertThat(error.path("message").asText()).contains(named);
    }

    private static HttpResponse call(String method, String path, String body, String query) {
        return function.apply(new HttpRequest(method, path, QueryString.parse(query), Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "ada@example.com"));
    }
}
