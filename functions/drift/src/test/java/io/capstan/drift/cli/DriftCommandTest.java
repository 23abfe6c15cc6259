package io.capstan.drift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path csv(String name, long seed, double shift) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder("age,income,city\n");
        for (int i = 0; i < 400; i++) {
            text.append(20 + random.nextInt(40) + shift).append(',')
                    .append(i % 50 == 0 ? "" : String.valueOf(random.nextGaussian() * 1000 + 50_000)).append(",\"")
                    .append(random.nextBoolean() ? "Lyon, FR" : "Oslo, NO").append("\"\n");
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private int run(String... args) {
        return DriftCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void run_twoFiles_printsOneJsonReportAndWritesHtml() throws IOException {
        Path a = csv("a.csv", 1, 0);
        Path b = csv("b.csv", 2, 15);
        Path html = dir.resolve("report.html");

        int code = run("--reference", a.toString(), "--current", b.toString(), "--categorical", "city",
                "--html", html.toString());

        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        assertThat(json.get("columns")).extracting(c -> c.get("column").asText())
                .containsExactly("age", "income", "city");
        assertThat(json.get("columns").get(0).get("method").asText()).isEqualTo("ks");
        assertThat(json.get("columns").get(0).get("verdict").asText()).isEqualTo("drift");
        assertThat(json.get("columns").get(1).get("current_count").asLong()).isEqualTo(392);
        assertThat(json.get("columns").get(2).get("method").asText()).isEqualTo("z");
        assertThat(Files.readString(html)).contains("<svg");
    }

    @Test
    void run_columnsOption_comparesOnlyThoseAndFailOnDriftExits3() throws IOException {
        Path a = csv("a.csv", 1, 0);
        Path b = csv("b.csv", 2, 15);

        int code = run("--reference", a.toString(), "--current", b.toString(), "--columns", "age", "--fail-on-drift");

        assertThat(code).isEqualTo(DriftCommand.DRIFT);
        assertThat(new ObjectMapper().readTree(out.toByteArray()).get("columns")).hasSize(1);
    }

    @Test
    void run_predictionsOption_reportsPredictionDriftApart() throws IOException {
        int code = run("--reference", csv("a.csv", 1, 0).toString(), "--current", csv("b.csv", 2, 15).toString(),
                "--columns", "income", "--predictions", "age");

        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        assertThat(json.get("prediction_drift").asBoolean()).isTrue();
        assertThat(json.get("columns").get(1).get("role").asText()).isEqualTo("prediction");
        assertThat(json.get("tested_features").asInt()).isEqualTo(1);
    }

    @Test
    void run_missingFile_exits2NamingIt() throws IOException {
        int code = run("--reference", dir.resolve("nope.csv").toString(), "--current", csv("b.csv", 2, 0).toString());

        assertThat(code).isEqualTo(DriftCommand.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.csv").contains("does not exist");
        assertThat(out.size()).isZero();
    }

    @Test
    void run_missingColumn_exits2ListingTheColumns() throws IOException {
        int code = run("--reference", csv("a.csv", 1, 0).toString(), "--current", csv("b.csv", 2, 0).toString(),
                "--columns", "age,height");

        assertThat(code).isEqualTo(DriftCommand.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'height'").contains("[age, income, city]");
    }

    @Test
    void run_textInNumericColumn_exits2NamingFileRowAndColumn() throws IOException {
        Path a = csv("a.csv", 1, 0);
        Path b = dir.resolve("bad.csv");
        Files.writeString(b, "age,income,city\n31,40000,x\n33,forty,y\n");

        int code = run("--reference", a.toString(), "--current", b.toString(), "--columns", "age,income");

        assertThat(code).isEqualTo(DriftCommand.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.csv").contains("row 2")
                .contains("column 'income'").contains("'forty' is not a number");
    }

    @Test
    void run_noArguments_exits2WithUsage() {
        int code = run();

        assertThat(code).isEqualTo(DriftCommand.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--reference");
    }
}
