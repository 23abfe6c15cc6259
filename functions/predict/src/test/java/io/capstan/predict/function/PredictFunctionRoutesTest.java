package io.capstan.predict.function;

import static io.capstan.predict.testutils.Requests.get;
import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.http.FunctionId;
import io.capstan.http.HttpResponse;
import io.capstan.http.Route;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.PredictRoutes;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Walks both tables: the predict routes and the function's operation-to-handler table. */
class PredictFunctionRoutesTest {
    /** The endpoints Capstan claims: MLflow's scoring server and OIP v2's REST API, with example paths. */
    private static final List<String> CLAIMED = List.of(
            "POST /models/iris/invocations Invocations",
            "POST /v2/models/iris/infer ModelInfer",
            "POST /v2/models/iris/versions/3/infer ModelInfer",
            "GET /v2/models/iris ModelMetadata",
            "GET /v2/models/iris/versions/3 ModelMetadata",
            "GET /v2/models/iris/ready ModelReady",
            "GET /v2/models/iris/versions/3/ready ModelReady",
            "GET /v2/health/live ServerLive",
            "GET /v2/health/ready ServerReady",
            "GET /v2 ServerMetadata");

    @AutoClose
    private static final PredictFixture fixture = new PredictFixture();

    @Test
    void routes_everyOperation_hasARouteAndAHandler() {
        Set<String> routed = PredictRoutes.routes().stream().map(Route::operation).collect(Collectors.toSet());

        assertThat(routed).containsExactlyInAnyOrderElementsOf(PredictOperations.ALL);
        assertThat(fixture.function.operations()).containsExactlyInAnyOrderElementsOf(PredictOperations.ALL);
    }

    @Test
    void routes_everyClaimedEndpoint_matchesItsOperation() {
        for (String endpoint : CLAIMED) {
            String[] parts = endpoint.split(" ");
            List<Route> matching = PredictRoutes.routes().stream()
                    .filter(r -> r.method().equals(parts[0]) && r.match(parts[1]).isPresent()).toList();

            assertThat(matching).as(endpoint).singleElement().extracting(Route::operation).isEqualTo(parts[2]);
        }
    }

    @Test
    void apply_unknownOipPath_answers404InOipShape() {
        HttpResponse response = fixture.call(post("/v2/models/iris/explain", "{}"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).fieldNames()).toIterable().containsExactly("error");
        assertThat(json(response).get("error").asText()).contains("No API endpoint POST /v2/models/iris/explain");
    }

    @Test
    void apply_unknownMlflowPathOrMethod_answers404InMlflowShape() {
        for (HttpResponse response : List.of(fixture.call(post("/models/iris/predict", "{}")),
                fixture.call(get("/models/iris/invocations")))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(json(response).get("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        }
    }

    @Test
    void constructor_routeWithUnknownOperation_isRefused() {
        List<Route> routes = List.of(new Route("POST", "/models/{name}/explain", FunctionId.PREDICT, "Explain"));

        assertThatThrownBy(() -> new PredictFunction(fixture.resolver, fixture.sessions, routes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Explain");
    }

    @Test
    void constructor_noRoutes_isRefused() {
        assertThatThrownBy(() -> new PredictFunction(fixture.resolver, fixture.sessions, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no predict routes");
    }
}
