package io.capstan.predict.bench;

import io.capstan.http.HttpRequest;
import io.capstan.predict.capture.CaptureSettings;
import io.capstan.predict.capture.SketchCapture;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the request that flushes pays on top of its own work: {@code SketchCapture.flush()} of one version's sketch of
 * the 30-feature breast-cancer model with 2 probability columns, after 50,000 captured rows (its KLL sketches
 * compacting), written to memory (an S3 PUT's network time is not in it). One shot per iteration; the rows are
 * captured in the iteration's setup, which is not timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 40)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CaptureFlushBenchmark {
    private static final String MODEL = "breast-cancer";
    private static final int ROWS = 50_000;

    private PredictFixture fixture;
    private SketchCapture capture;
    private PredictFunction function;
    private HttpRequest thousandRows;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        TrainedModel model = TrainedModels.breastCancer();
        InMemoryModelResolver resolver = new InMemoryModelResolver().registerWithProfile(MODEL, 1, model);
        capture = SketchCapture.create((key, sketch) -> {
            flushes.incrementAndGet();
            bytes.addAndGet(sketch.length);
        }, CaptureSettings.defaults().withMaxRowsPerSketch(Long.MAX_VALUE), Clock.systemUTC());
        fixture = new PredictFixture(resolver, InputLimits.defaults(), capture);
        function = fixture.function;
        thousandRows = Requests.post("/models/" + MODEL + "/invocations", Requests.dataframeSplit(
                model.cycledTo(1000), 1000));
    }

    @Setup(Level.Iteration)
    public void captureRows() {
        for (int i = 0; i < ROWS / 1000; i++) {
            if (function.apply(thousandRows).status() != 200) {
                throw new IllegalStateException("scoring failed");
            }
        }
    }

    @Benchmark
    public void flush() {
        capture.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n%d flushes, %d bytes per flushed sketch on average%n", flushes.get(),
                flushes.get() == 0 ? 0 : bytes.get() / flushes.get());
        fixture.close();
    }
}
