package io.capstan.drift.bench;

import io.capstan.drift.Column;
import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftDetector;
import io.capstan.drift.DriftReport;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole exact pass over two samples of 3M rows x 3 numeric columns: per column KS (SciPy's asymptotic p-value),
 * PSI on the reference deciles, normed Wasserstein and Jensen-Shannon, plus the report. Inputs are unsorted, as
 * they come from a file; the check sorts copies.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgs = {"-Xmx6g", "-Xms6g"})
@State(Scope.Benchmark)
public class ExactDriftBenchmark {
    private static final int ROWS = 3_000_000;

    private List<Column> reference;
    private List<Column> current;
    private DriftDetector detector;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        reference = new ArrayList<>();
        current = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            double[] a = new double[ROWS];
            double[] b = new double[ROWS];
            for (int i = 0; i < ROWS; i++) {
                a[i] = gaussian(random);
                b[i] = gaussian(random) + 0.05;
            }
            reference.add(Column.numeric("c" + c, a));
            current.add(Column.numeric("c" + c, b));
        }
        detector = DriftDetector.create(DriftConfig.defaults());
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    @Benchmark
    public DriftReport exactCheck() {
        return detector.compare(reference, current);
    }
}
