package io.capstan.predict.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.lambda.BundledOnnxRuntime;
import io.capstan.predict.batch.BatchFinisher;
import io.capstan.predict.batch.BatchPlanner;
import io.capstan.predict.batch.BatchTasks;
import io.capstan.predict.batch.ChunkScorer;
import io.capstan.predict.batch.S3BatchObjects;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.function.PredictFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import org.crac.Core;
import org.crac.Resource;

/**
 * The batch state machine's tasks function ({@code step-functions/batch-predict.asl.json}), from the predict
 * function's jar: the same resolver, session cache and prediction records as online, with the plan, chunk and finish
 * tasks of {@link BatchTasks} on top. A chunk's predictions are recorded for quality monitoring as online ones are,
 * flushed when the chunk ends. Clients and the registry are wired during init, so SnapStart snapshots them; like the
 * predict function's handler it registers as an {@code org.crac} resource, so every restored environment writes its
 * records under a container name of its own.
 */
public final class BatchTasksLambdaHandler implements RequestStreamHandler, Resource {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // before any ONNX Runtime class initializes, as in the predict function's handler
        BundledOnnxRuntime.useInLambda();
    }

    private final BatchTasks tasks;
    private final TrafficCapture capture;

    public BatchTasksLambdaHandler() {
        this(PredictLambdaHandler.Wiring.fromEnvironment(System.getenv()));
    }

    private BatchTasksLambdaHandler(PredictLambdaHandler.Wiring wiring) {
        S3BatchObjects objects = new S3BatchObjects(wiring.s3());
        PredictFunction predict = PredictFunction.create(ai.onnxruntime.OrtEnvironment.getEnvironment(),
                wiring.resolver(), PredictLambdaHandler.predictRoutes(), wiring.capture());
        this.capture = wiring.capture();
        this.tasks = new BatchTasks(new BatchPlanner(objects), new ChunkScorer(objects, predict,
                Path.of(System.getProperty("java.io.tmpdir"), "capstan-batch")),
                new BatchFinisher(objects, Clock.systemUTC()));
        Core.getGlobalContext().register(this);
    }

    /** Nothing captured is left in the snapshot, as the predict function's handler does. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        capture.beforeCheckpoint();
    }

    /** Each restored environment names its own capture objects, so concurrent chunks never overwrite each other's. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        capture.afterRestore();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            JSON.writeValue(output, tasks.run(JSON.readTree(input)));
        } finally {
            capture.flush();
        }
    }
}
