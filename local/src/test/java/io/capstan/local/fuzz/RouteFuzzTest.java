package io.capstan.local.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.local.LocalPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of {@link RouteTable#capstan()} on the embedded platform, sent bad input through the gateway: each
 * answer is a 4xx (never a 5xx, never a hang) in MLflow's error shape, and a refused write leaves nothing behind. The
 * mutations of each route are sampled with a fixed seed, so every run sends the same requests.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RouteFuzzTest {
    private static final long SEED = 0x5eed_2024_12_02L;
    /** Mutations sent per route; the same routes under /ajax-api (same handlers) get fewer. */
    private static final int CASES_PER_ROUTE = 20;
    private static final int CASES_PER_AJAX_ROUTE = 4;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    @TempDir
    static Path dataDir;
    private static LocalPlatform platform;
    private static RawHttp http;
    private static FuzzFixtures fixtures;
    private static FuzzCatalog catalog;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(dataDir, 0);
        http = new RawHttp(platform.port(), 15_000);
        fixtures = FuzzFixtures.create(platform, http);
        catalog = new FuzzCatalog();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void everyRoute_badInput_isRefusedWithAnMlflowErrorQuicklyAndWritesNothing() {
        List<FuzzCase> cases = new ArrayList<>();
        for (Route route : fuzzedRoutes()) {
            RequestShape shape = shape(route);
            if (!FuzzCatalog.NOT_SENT_AS_IS.contains(route.operation())) {
                cases.add(Mutations.asIs(shape));
            }
            cases.addAll(sample(route, Mutations.of(shape, !FuzzCatalog.NO_EXTRA_FIELD.contains(route.operation()))));
            cases.addAll(DomainCases.of(shape, fixtures));
        }
        FuzzRun run = new FuzzRun(http, new StateProbes(http, fixtures.placeholders));
        long start = System.nanoTime();

        cases.forEach(run::send);

        System.out.printf("RouteFuzzTest: %s; %d s%n", run.summary(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        assertThat(run.violations()).as(run.summary()).isEmpty();
    }

    @Test
    void everyPath_methodItDoesNotServe_isRefusedWithAnMlflowError() {
        Map<String, Set<String>> served = new LinkedHashMap<>();
        Map<String, Route> example = new LinkedHashMap<>();
        for (Route route : fuzzedRoutes()) {
            served.computeIfAbsent(route.pathTemplate(), p -> new LinkedHashSet<>()).add(route.method());
            example.putIfAbsent(route.pathTemplate(), route);
        }
        FuzzRun run = new FuzzRun(http, new StateProbes(http, fixtures.placeholders));

        served.forEach((template, methods) -> {
            String path = shape(example.get(template)).path(null, null);
            for (String method : METHODS) {
                if (!methods.contains(method)) {
                    boolean plain = !method.equals("HEAD") && !method.equals("OPTIONS");
                    run.send(new FuzzCase(example.get(template), "wrong-method", method + " " + template, method, path,
                            "application/json", plain ? "{}".getBytes(StandardCharsets.UTF_8) : null, plain));
                }
            }
        });

        assertThat(run.violations()).as(run.summary()).isEmpty();
    }

    @Test
    void uploadArtifact_clientHangsUpMidBody_leavesNoArtifact() {
        String folder = "/api/2.0/mlflow-artifacts/artifacts/" + fixtures.placeholders.get("exp") + "/"
                + fixtures.placeholders.get("run") + "/artifacts/killed";
        byte[] part = new byte[64 * 1024];

        http.sendAndHangUp("PUT", folder + "/declared.bin", 1_000_000, part);
        http.sendChunksAndHangUp("PUT", folder + "/chunked.bin", part);
        List<Integer> downloads = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < until) {
            downloads.add(http.send("GET", folder + "/declared.bin", null, null).status());
            downloads.add(http.send("GET", folder + "/chunked.bin", null, null).status());
        }
        RawHttp.Answer listing = http.send("GET", "/api/2.0/mlflow-artifacts/artifacts?path=" + folder.substring(
                "/api/2.0/mlflow-artifacts/artifacts/".length()), null, null);

        assertThat(downloads).isNotEmpty().containsOnly(404);
        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.text()).isEqualTo("{}");
    }

    @Test
    void createModelVersion_refusedRequests_useNoVersionNumber() {
        String good = "{'name': 'fuzz-model', 'source': 'mlflow-artifacts:/${exp}/${run}/artifacts/model'";
        int before = createVersion(good + "}");
        List<String> refused = List.of(
                good.replace("artifacts/model", "artifacts/" + "s".repeat(600)) + "}",
                good + ", 'description': '" + "d".repeat(5001) + "'}",
                good + ", 'run_link': '" + "l".repeat(501) + "'}",
                good + ", 'run_id': '" + "r".repeat(300) + "'}",
                good + ", 'model_id': 'm-" + "0".repeat(40) + "'}",
                good + ", 'tags': [{'key': 'k', 'value': '" + "v".repeat(5001) + "'}]}",
                good + ", 'tags': [{'key': 'bad:key', 'value': 'v'}]}",
                good + ", 'description': 'nul \\u0000 here'}",
                good + ", 'description': 'half \\ud800 a pair'}",
                good + ", 'tags': [" + String.join(", ", java.util.Collections.nCopies(45,
                        "{'key': 'k__I__', 'value': '" + "v".repeat(4999) + "'}")) + "]}");
        List<Integer> statuses = new ArrayList<>();

        for (String body : refused) {
            statuses.add(post(numbered(body)).status());
        }
        int after = createVersion(good + "}");

        assertThat(statuses).containsOnly(400);
        assertThat(after).isEqualTo(before + 1);
    }

    private int createVersion(String template) {
        RawHttp.Answer answer = post(template);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return Integer.parseInt(answer.text().replaceAll("(?s).*\"version\":\"(\\d+)\".*", "$1"));
    }

    private RawHttp.Answer post(String template) {
        String json = template.replace("${exp}", fixtures.placeholders.get("exp"))
                .replace("${run}", fixtures.placeholders.get("run")).replace('\'', '"');
        return http.send("POST", FuzzFixtures.API + "/model-versions/create", "application/json",
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** Each {@code __I__} replaced by a number of its own. */
    private static String numbered(String body) {
        StringBuilder out = new StringBuilder();
        String[] parts = body.split("__I__", -1);
        for (int i = 0; i < parts.length; i++) {
            out.append(parts[i]).append(i < parts.length - 1 ? Integer.toString(i) : "");
        }
        return out.toString();
    }

    private static List<Route> fuzzedRoutes() {
        boolean pipeline = platform.pipeline().isPresent();
        if (!pipeline) {
            System.out.println("RouteFuzzTest: the retraining pipeline cannot run here; its routes are left out");
        }
        return RouteTable.capstan().routes().stream()
                .filter(r -> pipeline || !r.pathTemplate().startsWith(RouteTable.CAPSTAN_PREFIX + "/pipelines"))
                .toList();
    }

    private static RequestShape shape(Route route) {
        return RequestShape.of(route, catalog.template(route.operation()), fixtures.placeholders);
    }

    /** Up to the route's share of {@code all}: the kinds of mutation taken in turn, each kind shuffled. */
    private static List<FuzzCase> sample(Route route, List<FuzzCase> all) {
        Random random = new Random(SEED ^ route.routeKey().hashCode());
        Map<String, List<FuzzCase>> byKind = new LinkedHashMap<>();
        all.forEach(c -> byKind.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c));
        byKind.values().forEach(kind -> java.util.Collections.shuffle(kind, random));
        int wanted = route.pathTemplate().startsWith("/ajax-api") ? CASES_PER_AJAX_ROUTE : CASES_PER_ROUTE;
        List<FuzzCase> chosen = new ArrayList<>();
        for (int round = 0; chosen.size() < Math.min(wanted, all.size()); round++) {
            for (List<FuzzCase> kind : byKind.values()) {
                if (round < kind.size() && chosen.size() < wanted) {
                    chosen.add(kind.get(round));
                }
            }
        }
        return chosen;
    }
}
