package io.capstan.drift.bench;

import io.capstan.drift.Column;
import io.capstan.drift.CsvTable;
import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftDetector;
import io.capstan.drift.DriftReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
 * The exact pass on real tie-heavy data: vega-datasets' 3M flights (scripts/flights-data.sh writes
 * {@code target/flights/reference.csv} and {@code current.csv}, 1.5M rows each), numeric columns date (epoch
 * seconds), delay (minutes) and distance (miles). {@code compute} is the check alone on columns read in the setup;
 * {@code readAndCompute} reads both files first, as the CLI does.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-Xms4g"})
@State(Scope.Benchmark)
public class FlightsDriftBenchmark {
    private static final Path DIR = Path.of("target/flights");
    private static final List<String> COLUMNS = List.of("date", "delay", "distance");

    private List<Column> reference;
    private List<Column> current;
    private DriftDetector detector;

    @Setup
    public void setUp() {
        reference = CsvTable.read(DIR.resolve("reference.csv"), COLUMNS, Set.of());
        current = CsvTable.read(DIR.resolve("current.csv"), COLUMNS, Set.of());
        detector = DriftDetector.create(DriftConfig.defaults());
    }

    @Benchmark
    public DriftReport compute() {
        return detector.compare(reference, current);
    }

    @Benchmark
    public DriftReport readAndCompute() {
        return detector.compare(CsvTable.read(DIR.resolve("reference.csv"), COLUMNS, Set.of()),
                CsvTable.read(DIR.resolve("current.csv"), COLUMNS, Set.of()));
    }
}
