package io.capstan.predict.lambda;

import io.capstan.model.ModelCard;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictRoutes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM whose class path is an unpacked Lambda package plus the test classes, as Lambda runs the handler:
 * builds {@link PredictLambdaHandler} on an in-memory registry holding {@code <model-dir>/model.onnx} and its card as
 * version 1 of {@code breast-cancer}, handles the API Gateway event in {@code <event-file>}, and prints the response,
 * the file ONNX Runtime's library was loaded from, and when each phase ended in milliseconds since the JVM started.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        Path models = Path.of(args[0]);
        ModelCard card = ModelCard.fromJson(Files.readAllBytes(models.resolve(ModelCard.FILE_NAME)));
        long cardParsed = System.nanoTime();
        InMemoryModelResolver resolver = new InMemoryModelResolver().register("breast-cancer", 1, card,
                Files.readAllBytes(models.resolve("model.onnx")));
        PredictLambdaHandler handler = new PredictLambdaHandler(resolver, PredictRoutes.routes());
        long handlerBuilt = System.nanoTime();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))), response, null);
        long firstResponse = System.nanoTime();
        System.out.println(response.toString(StandardCharsets.UTF_8));
        System.out.println("onnxruntime-library: " + loadedLibrary());
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long now = System.nanoTime();
        System.out.println("ms-since-jvm-start: main " + since(uptime, now, main) + ", card-parsed "
                + since(uptime, now, cardParsed) + ", handler-built " + since(uptime, now, handlerBuilt)
                + ", first-response " + since(uptime, now, firstResponse));
    }

    /** When {@code then} was, in ms since the JVM started, from the JVM's uptime {@code now}. */
    private static long since(long uptimeMillis, long now, long then) {
        return uptimeMillis - (now - then) / 1_000_000;
    }

    /** The path of the mapped libonnxruntime.so, from /proc/self/maps (Linux). */
    private static String loadedLibrary() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.exists(maps)) {
            return "unknown";
        }
        return Files.readAllLines(maps).stream().map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .filter(path -> path.endsWith("/libonnxruntime.so")).findFirst().orElse("not mapped");
    }
}
