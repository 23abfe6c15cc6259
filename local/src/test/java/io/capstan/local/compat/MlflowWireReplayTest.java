package io.capstan.local.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.local.LocalPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays, in order, the HTTP exchanges MLflow's own Python client (2.12.2 and 3.11.1) had with Capstan while the
 * compatibility suite ran ({@code scripts/mlflow-compat.sh --reference --record}, fixtures under
 * {@code src/test/resources/mlflow-wire/<client version>/<scenario>.jsonl}), against an empty platform per client
 * version, and holds each answer to the recorded one ({@link WireComparison}). The recorder marked where Capstan's
 * answer differed from the stock MLflow server's: those parts, or those whole exchanges, are not compared here (the
 * exchanges are still sent, so that the platform's state follows the recording). CI has no Python client: this is
 * how it checks that Capstan still answers the client as it did when it agreed with MLflow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowWireReplayTest {
    private static final String FIXTURES = "mlflow-wire";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    @TempDir
    Path dataRoot;
    private Replay current;

    @AfterAll
    void stop() {
        if (current != null) {
            current.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> replay_recordedMlflowClientExchanges_answerAsRecorded() throws IOException {
        Path root = fixtures();
        List<Path> versions;
        try (Stream<Path> dirs = Files.list(root)) {
            versions = dirs.filter(d -> Files.isRegularFile(d.resolve("manifest.json"))).sorted().toList();
        }
        assertThat(versions).as("recorded client versions under %s", root).isNotEmpty();
        return versions.stream().flatMap(this::tests);
    }

    private Stream<DynamicTest> tests(Path versionDir) {
        String client = versionDir.getFileName().toString();
        List<WireExchange> exchanges = read(versionDir);
        Replay replay = new Replay(client, exchanges);
        return exchanges.stream().filter(WireExchange::compare)
                .map(e -> DynamicTest.dynamicTest(e.name(client), () -> replay(replay, e)));
    }

    private void replay(Replay replay, WireExchange exchange) throws Exception {
        if (current != replay) {
            if (current != null) {
                current.close();
            }
            replay.start(dataRoot.resolve(replay.client));
            current = replay;
        }
        List<String> differences = replay.sendThrough(exchange);
        assertThat(differences).as("%s: differences from the recorded answer", exchange.name(replay.client))
                .isEmpty();
    }

    private static List<WireExchange> read(Path versionDir) {
        try {
            JsonNode manifest = WireComparison.JSON.readTree(versionDir.resolve("manifest.json").toFile());
            assertThat(manifest.path("fresh_server").asBoolean())
                    .as("%s was recorded against an empty Capstan (scripts/mlflow-compat.sh without --url)", versionDir)
                    .isTrue();
            List<WireExchange> all = new ArrayList<>();
            for (JsonNode scenario : manifest.path("scenarios")) {
                Path file = versionDir.resolve(scenario.asText() + ".jsonl");
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        all.add(WireExchange.of(scenario.asText(), i + 1, WireComparison.JSON.readTree(lines.get(i))));
                    }
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixtures() {
        try {
            return Path.of(MlflowWireReplayTest.class.getClassLoader().getResource(FIXTURES).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no " + FIXTURES + " folder on the test classpath", e);
        }
    }

    /** One client version's exchanges against one platform: the mappings learnt so far and what was sent. */
    private final class Replay implements AutoCloseable {
        private final String client;
        private final List<WireExchange> exchanges;
        private final WireMappings mappings = new WireMappings();
        private LocalPlatform platform;
        private int sent;

        Replay(String client, List<WireExchange> exchanges) {
            this.client = client;
            this.exchanges = exchanges;
        }

        void start(Path dataDir) {
            platform = LocalPlatform.start(dataDir, 0);
        }

        /** Sends the exchanges not compared that come before {@code exchange}, then it; its differences. */
        List<String> sendThrough(WireExchange exchange) throws Exception {
            int target = exchanges.indexOf(exchange);
            while (sent < target) {
                WireExchange earlier = exchanges.get(sent++);
                HttpResponse<byte[]> answer = send(earlier);
                // not held to its answer, but the ids in it still map recorded to live
                WireComparison.compare(earlier, answer.statusCode(), contentType(answer), answer.body(), mappings);
            }
            sent = target + 1;
            HttpResponse<byte[]> answer = send(exchange);
            return WireComparison.compare(exchange, answer.statusCode(), contentType(answer), answer.body(), mappings);
        }

        private HttpResponse<byte[]> send(WireExchange exchange) throws IOException, InterruptedException {
            String query = mappings.applyToQuery(mappings.applyPageTokens(exchange.path(), exchange.query()));
            URI uri = URI.create(platform.url() + mappings.apply(exchange.path()) + (query.isEmpty() ? "" : "?" + query));
            byte[] body = exchange.requestBody();
            Optional<String> text = WireExchange.text(body);
            if (text.isPresent()) {
                body = mappings.apply(mappings.applyPageTokens(exchange.path(), text.get()))
                        .getBytes(StandardCharsets.UTF_8);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .method(exchange.method(), body.length == 0 ? BodyPublishers.noBody()
                            : BodyPublishers.ofByteArray(body));
            if (exchange.requestContentType() != null) {
                request.header("Content-Type", exchange.requestContentType());
            }
            return http.send(request.build(), BodyHandlers.ofByteArray());
        }

        private String contentType(HttpResponse<byte[]> answer) {
            return answer.headers().firstValue("Content-Type").orElse(null);
        }

        @Override
        public void close() {
            if (platform != null) {
                platform.close();
                platform = null;
            }
        }
    }
}
