package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code capstan-local} as a separate JVM, as {@code scripts/local.sh} does. */
class CapstanLocalProcessTest {

    private static final Pattern READY = Pattern.compile("^Capstan ready at (http://127\\.0\\.0\\.1:\\d+)$");

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void main_sigterm_stopsCleanlyWithExitZero() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", launcherJar().toString(), CapstanLocal.class.getName(),
                "--port", "0", "--data-dir", dataDir.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.matches()) {
                        ready.complete(m.group(1));
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("capstan-local ended before it was ready"));
        }, "capstan-local-output");
        reader.start();
        try {
            String url = ready.get(2, TimeUnit.MINUTES);

            var health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/health")).GET().build(), BodyHandlers.ofString());
            // SIGTERM through the handle: Process.destroy() would also close our end of its output pipe
            process.toHandle().destroy();
            boolean exited = process.waitFor(1, TimeUnit.MINUTES);
            reader.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK");
            assertThat(exited).as("exited after SIGTERM; output: %s", output).isTrue();
            assertThat(process.exitValue()).as("exit status; output: %s", output).isZero();
            assertThat(output).contains("Capstan stopped")
                    .anyMatch(l -> l.startsWith("Starting DynamoDB Local"))
                    .anyMatch(l -> l.startsWith("Gateway listening on 127.0.0.1:"));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A jar holding only a manifest whose Class-Path is this test's classpath: the short command line
     * {@code scripts/local.sh} also uses (ONNX Runtime 1.29 crashes while loading when the command line is longer
     * than about 4 KB, and a classpath listing every jar is).
     */
    private Path launcherJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toUri().toString()).collect(Collectors.joining(" ")));
        Path jar = dataDir.resolve("launcher.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }
}
