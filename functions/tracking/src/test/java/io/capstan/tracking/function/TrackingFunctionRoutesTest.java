package io.capstan.tracking.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.FunctionId;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Walks both tables: the shared route table and the function's own operation-to-handler table. */
class TrackingFunctionRoutesTest {
    /** MLflow 2.12 tracking endpoints Capstan claims (service.proto and mlflow_artifacts.proto), with their verbs. */
    private static final List<String> CLAIMED = List.of(
            "POST /experiments/create", "GET /experiments/search", "POST /experiments/search",
            "GET /experiments/get", "GET /experiments/get-by-name", "POST /experiments/delete",
            "POST /experiments/restore", "POST /experiments/update", "POST /experiments/set-experiment-tag",
            "POST /runs/create", "POST /runs/update", "POST /runs/delete", "POST /runs/restore", "GET /runs/get",
            "POST /runs/search", "POST /runs/log-metric", "POST /runs/log-parameter", "POST /runs/set-tag",
            "POST /runs/delete-tag", "POST /runs/log-batch", "POST /runs/log-model", "POST /runs/log-inputs",
            "GET /metrics/get-history", "GET /artifacts/list");

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
}
