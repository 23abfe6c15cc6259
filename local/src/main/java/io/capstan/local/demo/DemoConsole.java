package io.capstan.local.demo;

import java.io.PrintStream;
import java.util.Locale;

/** What the demo prints: numbered steps, indented detail, and the trainer's lines as progress. */
final class DemoConsole {
    private final PrintStream out;
    private int step;

    DemoConsole(PrintStream out) {
        this.out = out;
    }

    void step(String format, Object... args) {
        out.printf(Locale.ROOT, "%n[demo %d] %s%n", ++step, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    void detail(String format, Object... args) {
        out.printf(Locale.ROOT, "    %s%n", String.format(Locale.ROOT, format, args));
        out.flush();
    }

    void progress(String line) {
        out.println("      | " + line);
        out.flush();
    }
}
