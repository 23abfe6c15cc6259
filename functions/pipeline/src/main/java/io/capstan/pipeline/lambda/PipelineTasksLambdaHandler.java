package io.capstan.pipeline.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.lambda.BundledOnnxRuntime;
import io.capstan.pipeline.tasks.PipelineTasks;
import io.capstan.pipeline.tasks.TaskFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The state machine's Lambda tasks ({@code lambda:invoke} and {@code lambda:invoke.waitForTaskToken} states): the
 * payload in, the task's JSON result out. A failing task throws {@link TaskFailedError}, whose message is the
 * task's cause ({@code {"message", "run_id"}}), so the state machine's failure step can record it on the run.
 */
public final class PipelineTasksLambdaHandler implements RequestStreamHandler {
    static {
        // before any ONNX Runtime class initializes: load the package's natives in place (see BundledOnnxRuntime)
        BundledOnnxRuntime.useInLambda();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineTasks tasks;

    public PipelineTasksLambdaHandler() {
        this(new PipelineTasks(PipelineWiring.fromEnvironment(System.getenv())));
    }

    public PipelineTasksLambdaHandler(PipelineTasks tasks) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode payload = JSON.readTree(input);
        JsonNode result;
        try {
            result = tasks.run(payload);
        } catch (TaskFailure e) {
            throw new TaskFailedError(e);
        }
        JSON.writeValue(output, result);
    }

    /** A task failure as Lambda reports it to Step Functions: the error type is this class, the message the cause. */
    public static final class TaskFailedError extends RuntimeException {
        TaskFailedError(TaskFailure failure) {
            super(failure.causeJson(), null, false, false);
        }
    }
}
