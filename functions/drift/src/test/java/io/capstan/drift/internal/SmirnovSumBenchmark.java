package io.capstan.drift.internal;

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
 * One {@code scipy.special.smirnov(n, x)} ({@link SmirnovDistribution#sf}, the lower sum through
 * {@link SmirnovLowerSum}) at n from 1e4 to 999,999 and x for p of about 0.5, 0.05 and 1e-6
 * ({@code x = sqrt(-log p / (2 n))}). Here, beside the package-private classes it calls, rather than in
 * {@code io.capstan.drift.bench}; compiled with the tests, never run by surefire.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SmirnovSumBenchmark {
    @Param({"10000", "100000", "750000", "999999"})
    public int n;

    @Param({"0.5", "0.05", "1e-6"})
    public double p;

    private double x;

    @Setup
    public void setUp() {
        x = Math.sqrt(-Math.log(p) / (2.0 * n));
    }

    @Benchmark
    public double smirnov() {
        return SmirnovDistribution.sf(n, x);
    }
}
