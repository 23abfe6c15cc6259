package io.capstan.drift.bench;

import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftDetector;
import io.capstan.drift.DriftReport;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sketch check (3 numeric features: KS with p-value range, normed Wasserstein, PSI and Jensen-Shannon from
 * KLL sketches, k = 1000) of a reference profile of 100k rows against merged streaming sketches that folded 1k, 100k
 * or 10M rows. {@link #sketchCheck} times the tests alone, from the current profile; {@link #wholeCheck} times what
 * the drift function does between reading the objects and writing the reports: it starts from the serialized
 * sketches and the reference's {@code profile.json}, and ends with the JSON and HTML reports.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SketchDriftBenchmark {
    @Param({"1000", "100000", "10000000"})
    public int currentRows;

    private DatasetProfile reference;
    private DatasetProfile current;
    private DriftDetector detector;
    private byte[] referenceJson;
    private byte[] sketchBytes;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        int referenceRows = 100_000;
        double[][] ref = new double[3][referenceRows];
        for (int i = 0; i < referenceRows; i++) {
            for (int c = 0; c < 3; c++) {
                ref[c][i] = random.nextDouble() * 4 + c;
            }
        }
        reference = ProfileBuilder.create(SketchParameters.defaults()).numeric("f0", ref[0]).numeric("f1", ref[1])
                .numeric("f2", ref[2]).build();
        StreamingProfile streamed = StreamingProfile.create(List.of(FeatureSpec.numeric("f0"),
                FeatureSpec.numeric("f1"), FeatureSpec.numeric("f2")), SketchParameters.defaults());
        float[] row = new float[3];
        for (int i = 0; i < currentRows; i++) {
            for (int c = 0; c < 3; c++) {
                row[c] = (float) (random.nextDouble() * 4.2 + c);
            }
            streamed.update(row);
        }
        sketchBytes = streamed.toBytes();
        referenceJson = reference.toJson();
        current = StreamingProfile.fromBytes(sketchBytes).toDatasetProfile();
        detector = DriftDetector.create(DriftConfig.defaults());
    }

    @Benchmark
    public DriftReport sketchCheck() {
        return detector.compare(reference, current);
    }

    @Benchmark
    public int wholeCheck() {
        DriftReport report = detector.compare(DatasetProfile.fromJson(referenceJson),
                StreamingProfile.fromBytes(sketchBytes));
        return report.toJson().length + report.toHtml().length();
    }
}
