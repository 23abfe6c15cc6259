package io.capstan.profile.bench;

import io.capstan.profile.FeatureSpec;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of folding one 30-feature row (the predict function's shape) into a {@link StreamingProfile}, for all
 * numeric features and for 27 numeric + 3 categorical. The profile is warmed with a million rows first so the
 * KLL sketches are in their steady, compacting state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StreamingProfileBenchmark {
    private static final int FEATURES = 30;
    private static final int ROWS = 8192;

    @Param({"1000", "200"})
    public int k;

    @Param({"0", "3"})
    public int categorical;

    private StreamingProfile profile;
    private float[][] rows;
    private int next;

    @Setup
    public void setUp() {
        List<FeatureSpec> schema = new ArrayList<>();
        for (int i = 0; i < FEATURES; i++) {
            schema.add(i < FEATURES - categorical ? FeatureSpec.numeric("f" + i) : FeatureSpec.categorical("f" + i));
        }
        profile = StreamingProfile.create(schema, new SketchParameters(k, 1024));
        SplittableRandom random = new SplittableRandom(42);
        rows = new float[ROWS][FEATURES];
        for (float[] row : rows) {
            for (int i = 0; i < FEATURES; i++) {
                row[i] = i < FEATURES - categorical ? (float) (random.nextDouble() * 10 - 5) : random.nextInt(12);
            }
        }
        for (int i = 0; i < 1_000_000; i++) {
            profile.update(rows[i % ROWS]);
        }
    }

    /** One row, one thread: the Lambda case. */
    @Benchmark
    public void updateRow() {
        profile.update(rows[next++ & (ROWS - 1)]);
    }

    /** One row from each of two threads sharing the profile: the local gateway case (per-thread time). */
    @Benchmark
    @Threads(2)
    public void updateRowTwoThreads() {
        profile.update(rows[java.util.concurrent.ThreadLocalRandom.current().nextInt(ROWS)]);
    }
}
