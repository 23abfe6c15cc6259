package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code --token} option: checked before anything starts, and never echoed. */
class CapstanLocalTokenTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void execute_tokenWithSpace_exitsTwoWithoutEchoingIt() {
        CommandLine command = new CommandLine(new CapstanLocal(print(out), print(err)));
        command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

        int status = command.execute("--port", "0", "--data-dir", dataDir.toString(), "--token", "secret with space");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--token", "CAPSTAN_LOCAL_TOKEN", "visible ASCII")
                .doesNotContain("secret with space");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Capstan ready");
    }

    @Test
    void execute_help_namesTheTokenOptionAndItsVariable() {
        CommandLine command = new CommandLine(new CapstanLocal(print(out), print(err)));
        command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));

        int status = command.execute("--help");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--token", "CAPSTAN_LOCAL_TOKEN",
                "MLFLOW_TRACKING_TOKEN");
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
