package io.capstan.registry.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.registry.testutils.RegistryTestPlatform;
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

/** Walks both tables: the shared route table against MLflow's registry endpoints, and the function's handlers. */
class RegistryFunctionRoutesTest {
    /** MLflow 2.12 model registry endpoints Capstan claims (model_registry.proto), with their verbs. */
    private static final List<String> CLAIMED = List.of(
            "POST /registered-models/create", "GET /registered-models/get", "POST /registered-models/rename",
            "PATCH /registered-models/update", "DELETE /registered-models/delete", "GET /registered-models/search",
            "POST /registered-models/get-latest-versions", "GET /registered-models/get-latest-versions",
            "POST /registered-models/set-tag", "DELETE /registered-models/delete-tag",
            "POST /registered-models/alias", "DELETE /registered-models/alias", "GET /registered-models/alias",
            "POST /model-versions/create", "PATCH /model-versions/update", "POST /model-versions/transition-stage",
            "DELETE /model-versions/delete", "GET /model-versions/get", "GET /model-versions/search",
            "GET /model-versions/get-download-uri", "POST /model-versions/set-tag",
            "DELETE /model-versions/delete-tag");

    private static RegistryTestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new RegistryTestPlatform();
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void routeTable_everyRegistryRoute_hasAHandler() {
        Set<String> operations = RouteTable.capstan().routesOf(FunctionId.REGISTRY).stream()
                .map(Route::operation).collect(Collectors.toSet());

        assertThat(platform.function.operations()).containsExactlyInAnyOrderElementsOf(operations);
    }

    @Test
    void routeTable_everyClaimedMlflowEndpoint_isRoutedToTheRegistryUnderBothPrefixes() {
        RouteTable routes = RouteTable.capstan();

        for (String prefix : RouteTable.MLFLOW_PREFIXES) {
            for (String endpoint : CLAIMED) {
                String[] parts = endpoint.split(" ");
                assertThat(routes.match(parts[0], prefix + parts[1])).as(prefix + endpoint)
                        .hasValueSatisfying(m -> assertThat(m.route().function()).isEqualTo(FunctionId.REGISTRY));
            }
        }
    }

    static Stream<Route> registryRoutes() {
        return RouteTable.capstan().routesOf(FunctionId.REGISTRY).stream();
    }

    /** Every route, given input no client would send, answers a 4xx in MLflow's shape and never a 5xx. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("registryRoutes")
    void everyRoute_badInput_clientErrorInMlflowShape(Route route) throws Exception {
        List<String> bodies = List.of("{\"name\": ", "[]", "{\"name\": \"a/b\", \"version\": \"x1\","
                + " \"alias\": \"v3\", \"stage\": \"Shipping\", \"routes\": [{\"target\": \"a b\", \"weight\": 1}]}");
        Map<String, List<String>> badQuery = Map.of("name", List.of("a/b"), "version", List.of("latest"),
                "max_results", List.of("-1"), "alias", List.of("v1"));

        for (String body : bodies) {
            HttpResponse response = platform.function.apply(new HttpRequest(route.method(), route.pathTemplate(),
                    route.method().equals("GET") ? badQuery : Map.of(), Map.of(), body.getBytes(StandardCharsets.UTF_8),
                    "test"));

            assertThat(response.status()).as("%s with %s: %s", route.routeKey(), body, response.bodyAsString())
                    .isBetween(400, 499);
            JsonNode error = new ObjectMapper().readTree(response.body());
            assertThat(error.path("error_code").asText()).isNotEmpty();
            assertThat(error.path("message").asText()).isNotEmpty();
        }
    }
}
