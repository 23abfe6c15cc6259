package io.capstan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OperationDispatcherTest {
    private final AtomicInteger calls = new AtomicInteger();
    private final OperationDispatcher drift = new OperationDispatcher(FunctionId.DRIFT, RouteTable.capstan(), Map.of(
            "RunDriftCheck", this::answer, "ListDriftReports", this::answer, "GetDriftReport", this::answer),
            e -> Optional.empty());

    @Test
    void apply_nulInPathParameter_isRefusedBeforeTheHandler() {
        // when
        HttpResponse response = drift.apply(new HttpRequest("GET", "/models/a\u0000b/drift", Map.of(), Map.of(), null,
                "test"));

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).contains("INVALID_PARAMETER_VALUE").contains("'name'");
        assertThat(calls).hasValue(0);
    }

    @Test
    void apply_loneSurrogateInQueryValue_isRefusedBeforeTheHandler() {
        // when
        HttpResponse response = drift.apply(new HttpRequest("GET", "/models/m/drift",
                Map.of("max_results", List.of("1\udc00")), Map.of(), null, "test"));

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).contains("'max_results'");
        assertThat(calls).hasValue(0);
    }

    @Test
    void apply_plainParameters_reachTheHandler() {
        // when
        HttpResponse response = drift.apply(new HttpRequest("GET", "/models/m\u00e9/drift",
                Map.of("max_results", List.of("10")), Map.of(), null, "test"));

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(calls).hasValue(1);
    }

    private HttpResponse answer(HttpRequest request, Map<String, String> path) {
        calls.incrementAndGet();
        return JsonResponses.empty();
    }
}
