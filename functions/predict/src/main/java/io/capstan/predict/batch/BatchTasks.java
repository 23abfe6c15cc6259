package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.batch.BatchChunk;
import io.capstan.batch.BatchJob;
import io.capstan.batch.BatchStateMachine;
import io.capstan.batch.S3Location;
import java.util.List;
import java.util.Objects;

/**
 * The batch state machine's tasks, by the payload's {@code task}: {@code plan} (the job's chunks, stored where the Map
 * reads them), {@code score} (one chunk), {@code fail} (record a chunk's failure) and {@code finish} (the manifest,
 * from the stored plan). The same in Lambda and on the embedded platform.
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
                List<BatchChunk> chunks = planner.plan(job);
                S3Location plan = finisher.writePlan(job, chunks);
                yield JSON.createObjectNode().put("bucket", plan.bucket()).put("key", plan.key())
                        .put("chunks", chunks.size());
            }
            case "score" -> scorer.score(job, BatchChunk.fromJson(payload.path("chunk"))).toJson();
            case "fail" -> finisher.failed(job, BatchChunk.fromJson(payload.path("chunk")),
                    payload.path("error").asText("States.TaskFailed"), payload.path("cause").asText(""));
            case "finish" -> finisher.finish(job, finisher.readPlan(job));
            default -> throw new IllegalArgumentException("unknown batch task '" + task + "'; the tasks are plan,"
                    + " score, fail and finish");
        };
    }
}
