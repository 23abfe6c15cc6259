package io.capstan.local.demo;

import static io.capstan.local.testutils.MlflowRest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.local.LocalPlatform;
import io.capstan.local.drift.LocalDriftWiring;
import io.capstan.local.testutils.Chromium;
import io.capstan.local.testutils.MlflowRest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The web console in headless Chromium on a platform seeded by the demo's own steps (plus one run with a
 * 10,000-point metric history): each page opens without errors in the browser's console and shows the demo's
 * objects, MLflow's links open the matching pages, promoting from the page moves the champion (checked through the
 * API) and a promotion that another operator overtook shows the conflict. Screenshots of each page go to
 * {@code target/console-screenshots/}; the chart's drawing time (Performance API) to
 * {@code target/console-performance.txt} (reported in docs/PERFORMANCE.md, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOnDemoDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final int LONG_HISTORY = 10_000;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;

    private LocalPlatform platform;
    private MlflowRest rest;
    private ChromeDriver browser;
    private String experimentId;
    private String longRunId;
    /** What the browser logs for an error a test provokes on purpose (Chromium logs every refused request). */
    private final List<String> provoked = new ArrayList<>();

    @BeforeAll
    void seedTheDemoAndOpenABrowser() throws Exception {
        System.setProperty(LocalDriftWiring.SCHEDULE_PROPERTY, "2");
        System.setProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY, "1");
        platform = LocalPlatform.start(dataDir, 0);
        rest = new MlflowRest(platform.url());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = new CommandLine(new Demo(new PrintStream(output, true, StandardCharsets.UTF_8))).execute(
                "--url", platform.url().toString(), "--s3-endpoint", platform.engines().s3Endpoint().toString(),
                "--data", "../scripts/data/breast_cancer.csv", "--platform-data-dir", dataDir.toString(),
                "--commit", "0123abc", "--work-dir", workDir.toString());
        assertThat(exit).as(output.toString(StandardCharsets.UTF_8)).isZero();
        experimentId = json(rest.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=breast-cancer"))
                .at("/experiment/experiment_id").asText();
        longRunId = runWithLongHistory();
        Files.createDirectories(SCREENSHOTS);
        browser = Chromium.start();
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
        System.clearProperty(LocalDriftWiring.SCHEDULE_PROPERTY);
        System.clearProperty(LocalPlatform.CAPTURE_FLUSH_PROPERTY);
    }

    @AfterEach
    void noErrorInTheBrowsersConsole() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> provoked.stream().noneMatch(entry.getMessage()::contains)).toList();
        provoked.clear();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    @Test
    void experimentsPage_atTheRoot_listsTheDemosExperiment() throws Exception {
        browser.get(platform.url() + "/");

        WebElement link = waitFor(By.linkText("breast-cancer"));
        screenshot("experiments");

        assertThat(link.getAttribute("href")).endsWith("#/experiments/" + experimentId);
    }

    @Test
    void runsPage_showsTheDemosRuns_andFiltersThemWithMlflowsGrammar() throws Exception {
        open("#/experiments/" + experimentId);
        waitFor(By.linkText("logistic-regression-seed-42"));
        assertThat(rows()).hasSize(3);
        screenshot("runs");

        WebElement filter = browser.findElement(By.cssSelector("input[type=search]"));
        filter.sendKeys("attributes.run_name = 'logistic-regression-seed-42'");
        filter.submit();
        wait(Duration.ofSeconds(15)).until(driver -> rows().size() == 1);

        assertThat(rows().get(0).getText()).contains("logistic-regression-seed-42", "FINISHED");
    }

    @Test
    void mlflowsRunLink_opensTheRunPage_withItsParamsDatasetAndChart() throws Exception {
        JsonNode run = json(rest.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"" + experimentId
                + "\"], \"filter\": \"attributes.run_name = 'logistic-regression-seed-42'\"}")).at("/runs/0");
        String runId = run.at("/info/run_id").asText();

        open("#/experiments/" + experimentId + "/runs/" + runId);
        waitFor(By.xpath("//h1[text()='logistic-regression-seed-42']"));
        waitFor(By.cssSelector(".card canvas"));
        screenshot("run");

        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).contains("validation_accuracy", run.at("/inputs/dataset_inputs/0/dataset/digest").asText());
        run.at("/data/params").forEach(param -> assertThat(page).contains(param.path("key").asText()));
    }

    @Test
    void metricChart_ofTenThousandPoints_draws() throws Exception {
        open("#/experiments/" + experimentId + "/runs/" + longRunId);

        waitFor(By.cssSelector(".card[data-points='" + LONG_HISTORY + "'] canvas"));
        Object measured = browser.executeScript("const m = performance.getEntriesByName('capstan-chart');"
                + " return m.length ? m[m.length - 1].duration : -1;");
        screenshot("chart-10000-points");

        double millis = ((Number) measured).doubleValue();
        assertThat(millis).as("the Performance API measure of the drawing").isGreaterThan(0);
        Files.writeString(Path.of("target/console-performance.txt"), String.format(Locale.ROOT,
                "chart of %d points drawn in %.1f ms (Performance API, headless Chromium)%n", LONG_HISTORY, millis));
    }

    @Test
    void modelsAndPipelinesPages_showTheDemosModelsAliasesAuditAndExecutions() throws Exception {
        open("#/models");
        waitFor(By.linkText(Demo.SERVED_MODEL));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("@champion");
        screenshot("models");

        open("#/models/" + Demo.SERVED_MODEL);
        waitFor(By.xpath("//h2[text()='Audit trail']"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("v1", "READY");
        screenshot("model");

        open("#/pipelines");
        waitFor(By.linkText(Demo.RETRAINED_MODEL));
        assertThat(rows()).hasSize(3).allSatisfy(row -> assertThat(row.getText()).contains("SUCCEEDED"));
        screenshot("pipelines");
    }

    @Test
    void promote_fromMlflowsVersionLink_movesTheChampion_andAnOvertakenPromotionShowsTheConflict() throws Exception {
        String model = Demo.SERVED_MODEL;
        String champion = champion(model);
        String other = champion.equals("1") ? "2" : "1";

        open("#/models/" + model + "/versions/" + other);
        promote("console test: promote v" + other);
        waitFor(By.xpath("//*[contains(text(), 'is the champion now')]"));
        screenshot("version-promoted");
        assertThat(champion(model)).isEqualTo(other);

        open("#/models/" + model + "/versions/" + champion);
        waitFor(By.cssSelector("form.action input"));
        ok(rest.post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + model + "\", \"version\": \"" + champion
                + "\", \"reason\": \"another operator\"}"));
        provoked.add("registry/promote - Failed to load resource: the server responded with a status of 409");
        promote("console test: overtaken");
        WebElement error = waitFor(By.cssSelector("form.action .error"));
        screenshot("version-conflict");

        assertThat(error.getText()).contains("RESOURCE_CONFLICT", "409");
        assertThat(champion(model)).isEqualTo(champion);
    }

    private void promote(String reason) {
        waitFor(By.cssSelector("form.action input")).sendKeys(reason);
        browser.findElement(By.cssSelector("form.action button[type=submit]")).click();
    }

    private String champion(String model) throws Exception {
        return json(rest.get("/api/2.0/mlflow/registered-models/alias?name=" + model + "&alias=champion"))
                .at("/model_version/version").asText();
    }

    /** A run of the demo's experiment with one metric of {@value #LONG_HISTORY} points, logged 1,000 at a time. */
    private String runWithLongHistory() throws Exception {
        String runId = json(rest.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"" + experimentId
                + "\", \"run_name\": \"long-history\"}")).at("/run/info/run_id").asText();
        for (int from = 0; from < LONG_HISTORY; from += 1000) {
            ObjectNode batch = JSON.createObjectNode().put("run_id", runId);
            ArrayNode metrics = batch.putArray("metrics");
            for (int step = from; step < from + 1000; step++) {
                metrics.addObject().put("key", "loss").put("value", Math.exp(-step / 2000.0) + (step % 7) * 0.001)
                        .put("timestamp", 1_796_000_000_000L + step).put("step", step);
            }
            ok(rest.post("/api/2.0/mlflow/runs/log-batch", batch.toString()));
        }
        return runId;
    }

    private void open(String fragment) {
        browser.get(platform.url() + "/" + fragment);
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("main tbody tr"));
    }

    private WebElement waitFor(By locator) {
        try {
            return wait(Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (TimeoutException e) {
            throw new AssertionError("not shown: " + locator + "; the page shows: "
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
    }

    private WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(browser, timeout);
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(ok(response).body());
    }
}
