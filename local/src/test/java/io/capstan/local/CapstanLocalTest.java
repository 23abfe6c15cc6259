package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CapstanLocalTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void execute_portTaken_exitsTwoWithClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

            int status = execute("--port", Integer.toString(taken.getLocalPort()), "--data-dir", dataDir.toString());

            assertThat(status).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("Port " + taken.getLocalPort(), "in use",
                    "--port");
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Capstan ready");
        }
    }

    @Test
    void execute_help_printsOptionsAndExitsZero() {
        CommandLine command = new CommandLine(new CapstanLocal(print(out), print(err)));
        command.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));

        int status = command.execute("--help");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port", "--data-dir", "--quiet");
    }

    @Test
    void execute_badPort_exitsTwo() {
        assertThat(execute("--port", "70000", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(execute("--port", "many")).isEqualTo(2);
    }

    private int execute(String... args) {
        CommandLine command = new CommandLine(new CapstanLocal(print(out), print(err)));
        command.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        return command.execute(args);
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
