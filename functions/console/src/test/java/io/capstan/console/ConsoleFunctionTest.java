package io.capstan.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.RouteTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's files as the build put them in the jar, served by the function behind the console's routes. */
class ConsoleFunctionTest {
    private final ConsoleFunction console = new ConsoleFunction();

    @Test
    void get_root_answersThePage_withItsSecurityHeaders() {
        HttpResponse page = console.apply(get("/", Map.of()));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsEntry("Content-Type", "text/html; charset=utf-8")
                .containsEntry("Content-Security-Policy", ConsoleFunction.CONTENT_SECURITY_POLICY)
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(page.bodyAsString()).contains("<main id=\"main\"", "console/app.js");
    }

    @Test
    void get_everyFileThePageLoads_isServedWithItsType() {
        String page = console.apply(get("/", Map.of())).bodyAsString();
        List<String> files = List.of("console/app.js", "console/console.css", "console/uPlot.min.css");

        for (String file : files) {
            assertThat(page).contains(file);
            HttpResponse answer = console.apply(get("/" + file, Map.of()));
            assertThat(answer.status()).as(file).isEqualTo(200);
            assertThat(answer.body()).as(file).isNotEmpty();
        }
        assertThat(console.apply(get("/console/app.js", Map.of())).headers().get("Content-Type"))
                .isEqualTo("text/javascript; charset=utf-8");
        assertThat(console.apply(get("/console/uPlot.esm.js", Map.of())).bodyAsString()).contains("uPlot");
        assertThat(console.apply(get("/console/pages/runs.js", Map.of())).status()).isEqualTo(200);
    }

    @Test
    void get_sameETag_isNotModified() {
        String etag = console.apply(get("/console/app.js", Map.of())).headers().get("ETag");

        HttpResponse again = console.apply(get("/console/app.js", Map.of("If-None-Match", etag)));

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/missing.js", "/console/../pom.xml", "/console/%2e%2e/x", "/console/",
            "/console/.hidden", "/console/a//b.js", "/console/ConsoleFunction.class"})
    void get_noSuchFile_is404_withMlflowsErrorBody(String path) {
        HttpResponse answer = console.apply(get(path, Map.of()));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.bodyAsString()).contains("\"error_code\":\"RESOURCE_DOES_NOT_EXIST\"");
    }

    @Test
    void routes_consoleRoutesAreOpen_andNoOtherIs() {
        RouteTable routes = RouteTable.capstan();

        assertThat(routes.open("GET", "/")).isTrue();
        assertThat(routes.open("GET", "/console/app.js")).isTrue();
        assertThat(routes.open("POST", "/")).isFalse();
        assertThat(routes.open("POST", "/api/2.0/mlflow/runs/search")).isFalse();
        assertThat(routes.routes()).filteredOn(route -> route.function().open())
                .allSatisfy(route -> assertThat(route.method()).isEqualTo("GET")).hasSize(2);
    }

    private static HttpRequest get(String path, Map<String, String> headers) {
        return new HttpRequest("GET", path, Map.of(), headers, new byte[0], null);
    }
}
