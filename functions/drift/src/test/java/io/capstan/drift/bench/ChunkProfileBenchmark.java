package io.capstan.drift.bench;

import io.capstan.drift.Column;
import io.capstan.drift.CsvTable;
import io.capstan.drift.distributed.DriftProfileTasks;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * One chunk of a distributed drift check: 200,000 CSV rows of 30 numeric columns (about 64 MB, the default chunk),
 * streamed into mergeable sketches as the profile task does, beside the exact check's in-process path over the same
 * bytes (read into columns, then profiled exactly), the reference this work replaces for large datasets.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@State(Scope.Benchmark)
public class ChunkProfileBenchmark {
    private static final int ROWS = 200_000;
    private static final int COLUMNS = 30;

    private byte[] csv;
    private List<FeatureSpec> schema;
    private int[] index;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        StringBuilder out = new StringBuilder();
        List<String> names = IntStream.range(0, COLUMNS).mapToObj(i -> "f" + i).toList();
        out.append(String.join(",", names)).append('\n');
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                out.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", random.nextDouble() * 100));
            }
            out.append('\n');
        }
        csv = out.toString().getBytes(StandardCharsets.UTF_8);
        schema = names.stream().map(FeatureSpec::numeric).toList();
        index = IntStream.range(0, COLUMNS).toArray();
    }

    /** The profile task's work on one chunk: lines to sketches, memory independent of the rows. */
    @Benchmark
    public StreamingProfile streamChunkIntoSketches() throws IOException {
        return DriftProfileTasks.profileLines(new ByteArrayInputStream(csv), 0, csv.length, index, schema, "bench");
    }

    /** The exact check's in-process work on the same bytes: every value held, then profiled exactly. */
    @Benchmark
    public DatasetProfile readColumnsAndProfileExactly() {
        List<Column> columns = CsvTable.read(new BufferedReader(new InputStreamReader(new ByteArrayInputStream(csv),
                StandardCharsets.UTF_8)), "bench", schema.stream().map(FeatureSpec::name).toList(), Set.of());
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        for (Column column : columns) {
            builder.numeric(column.name(), ((Column.Numeric) column).values());
        }
        return builder.build();
    }
}
