package io.capstan.tracking.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Walks both tables: the shared route table and the function's own operation-to-handler table. */
class TrackingFunctionRoutesTest {
    /** MLflow tracking endpoints Capstan claims (service.proto and mlflow_artifacts.proto), with their verbs. */
    private static final List<String> CLAIMED = List.of(
            "POST /experiments/create", "GET /experiments/search", "POST /experiments/search",
            "GET /experiments/get", "GET /experiments/get-by-name", "POST /experiments/delete",
            "POST /experiments/restore", "POST /experiments/update", "POST /experiments/set-experiment-tag",
            "POST /runs/create", "POST /runs/update", "POST /runs/delete", "POST /runs/restore", "GET /runs/get",
            "POST /runs/search", "POST /runs/log-metric", "POST /runs/log-parameter", "POST /runs/set-tag",
            "POST /runs/delete-tag", "POST /runs/log-batch", "POST /runs/log-model", "POST /runs/log-inputs",
            "GET /metrics/get-history", "GET /artifacts/list",
            // MLflow 3 (service.proto of 3.11.1)
            "POST /runs/outputs", "POST /logged-models", "POST /logged-models/search", "GET /logged-models/m-1",
            "PATCH /logged-models/m-1", "DELETE /logged-models/m-1", "PATCH /logged-models/m-1/tags",
            "DELETE /logged-models/m-1/tags/k", "POST /logged-models/m-1/params",
            "GET /logged-models/m-1/artifacts/directories");

    private static TrackingTestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new TrackingTestPlatform();
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void routeTable_everyTrackingRoute_hasAHandler() {
        Set<String> operations = RouteTable.capstan().routesOf(FunctionId.TRACKING).stream()
                .map(Route::operation).collect(Collectors.toSet());

        assertThat(platform.function.operations()).containsExactlyInAnyOrderElementsOf(operations);
    }

    @Test
    void routeTable_everyClaimedMlflowEndpoint_isRoutedUnderBothPrefixes() {
        RouteTable routes = RouteTable.capstan();

        for (String prefix : RouteTable.MLFLOW_PREFIXES) {
            for (String endpoint : CLAIMED) {
                String[] parts = endpoint.split(" ");
                assertThat(routes.match(parts[0], prefix + parts[1])).as(prefix + endpoint).isPresent();
            }
        }
        assertThat(routes.match("PUT", RouteTable.ARTIFACTS_PREFIX + "/artifacts/1/abc/artifacts/m.onnx"))
                .map(m -> m.pathParameters().get("path")).contains("1/abc/artifacts/m.onnx");
    }

    static Stream<Route> trackingRoutes() {
        return RouteTable.capstan().routesOf(FunctionId.TRACKING).stream()
                .filter(r -> !r.operation().equals("Health") && !r.operation().equals("Version"));
    }

    /** Every route, given input no MLflow client would send, answers a 4xx in MLflow's shape and never a 5xx. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("trackingRoutes")
    void everyRoute_badInput_clientErrorInMlflowShape(Route route) throws Exception {
        String path = route.pathTemplate().replace("{path+}", "../../etc/passwd");
        List<byte[]> bodies = List.of("{\"run_id\": ".getBytes(StandardCharsets.UTF_8),
                "[]".getBytes(StandardCharsets.UTF_8));
        Map<String, List<String>> badQuery = Map.of("experiment_id", List.of("not-a-number"),
                "run_id", List.of("../x"), "max_results", List.of("-1"), "path", List.of("../x"));

        for (byte[] body : bodies) {
            HttpResponse response = platform.function.apply(new HttpRequest(route.method(), path,
                    route.method().equals("GET") ? badQuery : Map.of(), Map.of(), body, "test"));

            assertThat(response.status()).as("%s with %s: %s", route.routeKey(), new String(body,
                    StandardCharsets.UTF_8), response.bodyAsString()).isBetween(400, 499);
            JsonNode error = new ObjectMapper().readTree(response.body());
            assertThat(error.path("error_code").asText()).isNotEmpty();
            assertThat(error.path("message").asText()).isNotEmpty();
        }
    }
}
