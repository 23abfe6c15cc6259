package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPlatformTest {

    @TempDir
    Path dataDir;

    @Test
    void start_portZero_answersHealth() throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(dataDir, 0)) {

            var response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(platform.url() + "/health")).GET().build(),
                    BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("OK");
            assertThat(platform.url()).isEqualTo(URI.create("http://127.0.0.1:" + platform.port()));
        }
    }
}
