package io.capstan.predict.bench;

import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.predict.capture.CaptureSettings;
import io.capstan.predict.capture.CaptureSink;
import io.capstan.predict.capture.PredictionLog;
import io.capstan.predict.capture.SketchCapture;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The predict handler with and without traffic capture: {@code PredictFunction.apply} on an MLflow
 * {@code dataframe_split} request, and on an Open Inference Protocol request in binary tensors (the fastest path,
 * where capture weighs most), for the 30-feature breast-cancer model, whose reference profile has a probability
 * column per class, so each captured row is 32 values (30 features, 2 probabilities) folded into KLL sketches (k = 1000).
 * Requests above {@code exactRows} rows are sampled ({@code CaptureSettings#exactRows()}, 4 by default).
 *
 * <ul>
 *   <li>{@code off}: {@link TrafficCapture#off()}, the handler as it was;</li>
 *   <li>{@code on}: {@link SketchCapture} with the Lambda default, a flush every 60 s, so no flush falls in a 2 s
 *       iteration: the cost of recording rows;</li>
 *   <li>{@code on-flush-1s}: a flush every second, serializing the sketches inline (into memory: an S3 PUT's network
 *       time is not in it), to show what the request that flushes pays;</li>
 *   <li>{@code records}: {@link PredictionLog} alone, one JSON line per row appended in memory (the 16 MiB flushes,
 *       gzipped into memory, fall inside the iterations at batch 1000);</li>
 *   <li>{@code on+records}: both, as deployed.</li>
 * </ul>
 * The capture is warmed with 200,000 rows first, so its KLL sketches are in their compacting steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CaptureBenchmark {
    private static final String MODEL = "breast-cancer";

    @Param({"1", "100", "1000"})
    int batch;

    @Param({"off", "on", "on-flush-1s", "records", "on+records"})
    String capture;

    @Param({"4"})
    int exactRows;

    private PredictFixture fixture;
    private PredictFunction function;
    private HttpRequest invocations;
    private HttpRequest inferBinary;
    private final AtomicLong flushedBytes = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        TrainedModel model = TrainedModels.breastCancer();
        InMemoryModelResolver resolver = new InMemoryModelResolver().registerWithProfile(MODEL, 1, model);
        CaptureSink memory = (key, sketch) -> flushedBytes.addAndGet(sketch.length);
        TrafficCapture traffic = switch (capture) {
            case "off" -> TrafficCapture.off();
            case "on" -> SketchCapture.create(memory, CaptureSettings.defaults().withExactRows(exactRows),
                    Clock.systemUTC());
            case "on-flush-1s" -> SketchCapture.create(memory, CaptureSettings.defaults()
                    .withFlushInterval(Duration.ofSeconds(1)), Clock.systemUTC());
            case "records" -> records(memory);
            case "on+records" -> TrafficCapture.both(SketchCapture.create(memory, CaptureSettings.defaults(),
                    Clock.systemUTC()), records(memory));
            default -> throw new IllegalArgumentException("capture " + capture);
        };
        fixture = new PredictFixture(resolver, InputLimits.defaults(), traffic);
        function = fixture.function;
        invocations = Requests.post("/models/" + MODEL + "/invocations",
                Requests.dataframeSplit(model.cycledTo(batch), batch));
        inferBinary = Requests.binaryInfer("/v2/models/" + MODEL + "/infer",
                Requests.inferFullTensor(model.cycledTo(batch), batch), true);
        check(function.apply(inferBinary));
        HttpRequest warm = Requests.post("/models/" + MODEL + "/invocations",
                Requests.dataframeSplit(model.cycledTo(1000), 1000));
        for (int i = 0; i < 200; i++) {
            check(function.apply(warm));
        }
    }

    /** Prediction records as in Lambda: a flush every 60 s or 16 MiB, gzipped into memory (no S3 PUT's time). */
    private static PredictionLog records(CaptureSink memory) {
        return new PredictionLog(memory, CaptureSettings.DEFAULT_FLUSH_INTERVAL, PredictionLog.DEFAULT_MAX_BUFFERED_BYTES,
                Clock.systemUTC());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        function.capture().close();
        fixture.close();
    }

    @Benchmark
    public HttpResponse handlerMlflowDataframeSplit() {
        return function.apply(invocations);
    }

    @Benchmark
    public HttpResponse handlerOipInferBinary() {
        return function.apply(inferBinary);
    }

    private static void check(HttpResponse response) {
        if (response.status() != 200) {
            throw new IllegalStateException(response.bodyAsString());
        }
    }
}
