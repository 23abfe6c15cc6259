package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The batch state machine's tasks, by the payload's {@code task}: {@code plan} (the job's chunks), {@code score} (one
 * chunk), {@code fail} (record a chunk's failure) and {@code finish} (the manifest). The same in Lambda and on the
 * embedded platform.
 */
public final class BatchTasks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BatchPlanner planner;
    private final ChunkScorer scorer;
    private final BatchFinisher finisher;

    public BatchTasks(BatchPlanner planner, ChunkScorer scorer, BatchFinisher finisher) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.finisher = Objects.requireNonNull(finisher, "finisher");
    }

    /**
     * @throws IllegalArgumentException when the payload names no task this knows
     */
    public JsonNode run(JsonNode payload) {
        String task = payload.path(BatchStateMachine.TASK_FIELD).asText();
        BatchJob job = BatchJob.fromJson(payload.path("job"));
        return switch (task) {
            case "plan" -> {
                ObjectNode plan = JSON.createObjectNode();
                ArrayNode chunks = plan.putArray("chunks");
                planner.plan(job).forEach(chunk -> chunks.add(chunk.toJson()));
                yield plan;
            }
            case "score" -> scorer.score(job, BatchChunk.fromJson(payload.path("chunk"))).toJson();
            case "fail" -> finisher.failed(job, BatchChunk.fromJson(payload.path("chunk")),
                    payload.path("error").asText("States.TaskFailed"), payload.path("cause").asText(""));
            case "finish" -> {
                List<BatchChunk> plan = new ArrayList<>();
                payload.path("chunks").forEach(chunk -> plan.add(BatchChunk.fromJson(chunk)));
                yield finisher.finish(job, plan);
            }
            default -> throw new IllegalArgumentException("unknown batch task '" + task + "'; the tasks are plan,"
                    + " score, fail and finish");
        };
    }
}
