package io.capstan.profile.bench;

import io.capstan.profile.internal.SortedColumns;
import java.util.Arrays;
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
 * Sorting one column of 1.5M values, copy included, by each candidate: {@code Arrays.sort}, the LSD radix sort
 * ({@link SortedColumns#radixSort}), and {@link SortedColumns#sortedPresent}'s choice (counting for few distinct values,
 * radix otherwise). Shapes: {@code continuous} (Gaussian doubles, all distinct) and {@code ties} (integer minutes of
 * delay, about 300 distinct values, like flights data).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-Xms2g"})
@State(Scope.Benchmark)
public class SortBenchmark {
    @Param({"continuous", "ties"})
    public String shape;

    private double[] values;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        values = new double[1_500_000];
        for (int i = 0; i < values.length; i++) {
            double g = random.nextGaussian();
            values[i] = shape.equals("ties") ? Math.rint(30 * g + 5) : g;
        }
    }

    @Benchmark
    public double[] arraysSort() {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    @Benchmark
    public double[] radixSort() {
        double[] copy = values.clone();
        SortedColumns.radixSort(copy);
        return copy;
    }

    @Benchmark
    public double[] chosenSort() {
        return SortedColumns.sortedPresent(values);
    }
}
