package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A state machine's task endpoint on the platform's own listener, for a Lambda function's tasks (batch predictions,
 * distributed drift checks): the runner posts each Task state's input ({@code {"FunctionName", "Payload"}}, as
 * Lambda's invoke integration takes it) to the wiring's path plus the state, and gets
 * {@code {"Payload": <the task's answer>}} back, or {@code {"error", "cause"}} with the exception's class name as the
 * error, as Lambda reports a Java function's error. Tests may make a chunk fail a number of times
 * ({@link #failChunk}), as a transient S3 or Lambda failure would.
 */
public final class LocalFunctionTasks implements Function<HttpRequest, CompletionStage<HttpResponse>>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<JsonNode, JsonNode> tasks;
    private final String chunkTask;
    private final Function<JsonNode, JsonNode> itemReader;
    private final ExecutorService work;
    private final Map<Integer, AtomicInteger> injectedFailures = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

    /**
     * @param name      names the threads
     * @param tasks     the function's tasks: a payload in, the answer out
     * @param chunkTask  the task ({@code "task"} of the payload) that works on one {@code chunk}: the one
     *                   {@link #failChunk} and {@link #attempts} concern
     * @param itemReader answers a Map's S3 ItemReader ({@code {"Bucket", "Key"}} in, the object's JSON out), which the
     *                   runner turns into a Task state before the Map
     */
    public LocalFunctionTasks(String name, Function<JsonNode, JsonNode> tasks, String chunkTask,
                              Function<JsonNode, JsonNode> itemReader) {
        this.tasks = tasks;
        this.chunkTask = chunkTask;
        this.itemReader = itemReader;
        this.work = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "capstan-" + name + "-task");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Makes the work on chunk {@code index} fail its next {@code times} attempts (tests). */
    public void failChunk(int index, int times) {
        injectedFailures.put(index, new AtomicInteger(times));
    }

    /** How many times chunk {@code index} has been worked on, failed attempts included (tests). */
    public int attempts(int index) {
        AtomicInteger count = attempts.get(index);
        return count == null ? 0 : count.get();
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(failure("States.Runtime", "the runner sent no JSON"));
        }
        if (body.path("resource").asText().endsWith(":s3:getObject")) {
            JsonNode location = body.path("input");
            return CompletableFuture.supplyAsync(() -> answer(() -> itemReader.apply(location)), work);
        }
        JsonNode payload = body.path("input").path("Payload");
        return CompletableFuture.supplyAsync(() -> run(payload), work);
    }

    private HttpResponse run(JsonNode payload) {
        if (payload.path("task").asText().equals(chunkTask)) {
            int index = payload.path("chunk").path("index").asInt(-1);
            attempts.computeIfAbsent(index, i -> new AtomicInteger()).incrementAndGet();
            AtomicInteger left = injectedFailures.get(index);
            if (left != null && left.getAndDecrement() > 0) {
                return failure("InjectedFailure", "chunk " + index + " failed as the test asked");
            }
        }
        return answer(() -> {
            ObjectNode answer = JSON.createObjectNode();
            answer.set("Payload", tasks.apply(payload));
            return answer;
        });
    }

    /** The answer {@code work} gives, or its exception as Lambda reports a Java function's error: the class name. */
    private static HttpResponse answer(Supplier<JsonNode> work) {
        try {
            return new HttpResponse(200, Map.of("Content-Type", HttpResponse.JSON), JSON.writeValueAsBytes(work.get()));
        } catch (RuntimeException | IOException e) {
            // the definition's Retry and Catch name errors by the exception's class name
            return failure(e.getClass().getName(), String.valueOf(e.getMessage()));
        }
    }

    private static HttpResponse failure(String error, String cause) {
        try {
            return new HttpResponse(500, Map.of("Content-Type", HttpResponse.JSON), JSON.writeValueAsBytes(
                    JSON.createObjectNode().put("error", error).put("cause", cause)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
