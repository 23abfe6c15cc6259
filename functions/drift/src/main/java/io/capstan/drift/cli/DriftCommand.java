package io.capstan.drift.cli;

import io.capstan.drift.Column;
import io.capstan.drift.ColumnRole;
import io.capstan.drift.CsvTable;
import io.capstan.drift.DriftConfig;
import io.capstan.drift.DriftDetector;
import io.capstan.drift.DriftReport;
import io.capstan.drift.InvalidDriftInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/drift.sh}: compares two CSV files column by column (exact mode) and prints the report as one JSON
 * document on standard output. Exit 0 when the check ran (whatever it found; {@code --fail-on-drift} makes
 * dataset drift exit 3), 2 for bad input (a missing file or column, a non-number in a numeric column), with the
 * reason on standard error.
 */
@Command(name = "drift.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compares current data with reference data, column by column, with Evidently's default tests"
                + " (KS p-values exactly as SciPy's ks_2samp), and prints one JSON report.")
public final class DriftCommand implements Callable<Integer> {
    static final int BAD_INPUT = 2;
    static final int DRIFT = 3;

    @Option(names = "--reference", required = true, paramLabel = "A.csv", description = "reference (training) data")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "B.csv", description = "current data")
    Path current;

    @Option(names = "--columns", split = ",", paramLabel = "c1,c2",
            description = "columns to compare (default: every column of the reference)")
    List<String> columns;

    @Option(names = "--categorical", split = ",", paramLabel = "c3", description = "columns holding categories")
    List<String> categorical;

    @Option(names = "--predictions", split = ",", paramLabel = "p1",
            description = "columns holding model outputs (predicted label, probability): reported as prediction drift,"
                    + " not counted in the dataset drift share")
    List<String> predictions;

    @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML report")
    Path html;

    @Option(names = "--drift-share", defaultValue = "0.5", paramLabel = "SHARE",
            description = "share of drifted columns that means dataset drift (default: ${DEFAULT-VALUE})")
    double driftShare;

    @Option(names = "--fail-on-drift", description = "exit 3 when the dataset drifted")
    boolean failOnDrift;

    private final PrintStream out;

    DriftCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new DriftCommand(out));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof InvalidDriftInputException || e instanceof IllegalArgumentException) {
                err.println("drift: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        int code = cli.execute(args);
        return code == CommandLine.ExitCode.USAGE ? BAD_INPUT : code;
    }

    @Override
    public Integer call() throws IOException {
        for (Path file : List.of(reference, current)) {
            if (!Files.isRegularFile(file)) {
                throw new InvalidDriftInputException("File '" + file + "' does not exist or is not a file.");
            }
        }
        Set<String> categories = new LinkedHashSet<>(categorical == null ? List.of() : categorical);
        List<String> compared = new ArrayList<>(columns == null ? CsvTable.header(reference) : columns);
        Set<String> outputs = new LinkedHashSet<>(predictions == null ? List.of() : predictions);
        for (String c : categories) {
            if (!compared.contains(c)) {
                compared.add(c);
            }
        }
        for (String c : outputs) {
            if (!compared.contains(c)) {
                compared.add(c);
            }
        }
        // the two files are read at once; a problem in the reference is still the one reported first
        CompletableFuture<List<Column>> readCurrent = CompletableFuture.supplyAsync(
                () -> CsvTable.read(current, compared, categories));
        List<Column> ref = asOutputs(CsvTable.read(reference, compared, categories), outputs);
        List<Column> cur = asOutputs(joined(readCurrent), outputs);
        DriftConfig config = DriftConfig.builder().driftShare(driftShare).build();
        DriftReport report = DriftDetector.create(config).compare(ref, cur);
        if (html != null) {
            Files.writeString(html, report.toHtml(), StandardCharsets.UTF_8);
        }
        out.println(new String(report.toJson(), StandardCharsets.UTF_8));
        out.flush();
        return failOnDrift && report.datasetDrift() ? DRIFT : 0;
    }

    private static List<Column> joined(CompletableFuture<List<Column>> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static List<Column> asOutputs(List<Column> columns, Set<String> outputs) {
        return columns.stream().map(c -> !outputs.contains(c.name()) ? c
                : c instanceof Column.Numeric n ? new Column.Numeric(n.name(), n.values(), ColumnRole.PREDICTION)
                : new Column.Categorical(c.name(), ((Column.Categorical) c).values(), ColumnRole.PREDICTION)).toList();
    }
}
