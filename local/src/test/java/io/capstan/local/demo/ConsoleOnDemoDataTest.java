package io.capstan.local.demo;

import static io.capstan.local.testutils.MlflowRest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The web console in headless Chromium on a platform seeded by the demo's own steps (plus one run with a
 * 10,000-point metric history): each page opens without errors in the browser's console and shows the demo's
 * objects, MLflow's links open the matching pages, promoting from the page moves the champion (checked through the
 * API), a promotion that another operator overtook shows the conflict, and the canary, rollback, drift, quality,
 * pipeline, compare and playground pages work on the demo's objects; every page passes axe-core's WCAG A/AA rules, is
 * reachable with the Tab key and fits a 1024-pixel screen; a slow API shows the loading indicator and an unreachable
 * one its error. Screenshots of each page go to
 * {@code target/console-screenshots/}; the chart's drawing time and the 5,000-run page's time (Performance API) to
 * {@code target/console-performance.txt} (reported in docs/PERFORMANCE.md, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOnDemoDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Path PERFORMANCE = Path.of("target/console-performance.txt");
    private static final int LONG_HISTORY = 10_000;
    private static final int BIG_EXPERIMENT = 5_000;
    /** A small laptop's screen: no page may scroll sideways at this width. */
    private static final Dimension SMALL_LAPTOP = new Dimension(1024, 768);
    private static final List<String> AXE_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");

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
        Files.deleteIfExists(PERFORMANCE);
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

        waitFor(By.xpath("//button[text()='▸ model/']")).click();
        waitFor(By.xpath("//button[text()='model.onnx']")).click();
        WebElement onnx = waitFor(By.cssSelector(".card.onnx"));
        screenshot("run-onnx-summary");
        assertThat(onnx.getText()).contains("Opsets", "ai.onnx", "Inputs", "FLOAT");
    }

    @Test
    void runPage_ofTheDemosSearch_listsItsTrialsAsChildRuns_andATrialLinksBackToIt() throws Exception {
        String tuned = json(rest.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name="
                + Demo.TUNED_MODEL)).at("/experiment/experiment_id").asText();
        JsonNode parent = json(rest.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"" + tuned
                + "\"], \"filter\": \"attributes.run_name LIKE 'retrain-%'\"}")).at("/runs/0");
        String parentId = parent.at("/info/run_id").asText();

        open("#/experiments/" + tuned + "/runs/" + parentId);
        WebElement heading = waitFor(By.xpath("//h2[starts-with(text(), 'Child runs')]"));
        List<WebElement> trials = browser.findElements(By.cssSelector(".children tbody tr"));
        String header = browser.findElement(By.cssSelector(".children thead")).getText();
        screenshot("run-child-runs");

        assertThat(heading.getText()).isEqualTo("Child runs (6)");
        assertThat(trials).hasSize(6);
        // the searched hyperparameters and the objective, not the ones every trial shares
        assertThat(header).contains("learning_rate", "minibatch_size", "validation_log_loss").doesNotContain("seed");
        String chosen = parent.at("/data/tags").findParents("key").stream()
                .filter(t -> t.path("key").asText().equals("capstan.tuning.best_trial")).findFirst().orElseThrow()
                .path("value").asText();
        assertThat(trials).filteredOn(row -> row.getText().contains("chosen by the search")).singleElement()
                .satisfies(row -> assertThat(row.getText()).startsWith(chosen + " "));
        trials.get(0).findElement(By.tagName("a")).click();
        WebElement back = waitFor(By.linkText(parentId));
        assertThat(back.getAttribute("href")).endsWith("#/experiments/" + tuned + "/runs/" + parentId);
    }

    @Test
    void runPage_ofARunThatDoesNotExist_showsMlflowsError() throws Exception {
        provoked.add("runs/get?run_id=" + "0".repeat(32) + " - Failed to load resource: the server responded with a"
                + " status of 404");
        open("#/experiments/" + experimentId + "/runs/" + "0".repeat(32));

        WebElement error = waitFor(By.cssSelector("main .error"));

        assertThat(error.getText()).contains("RESOURCE_DOES_NOT_EXIST", "404");
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
        Files.writeString(PERFORMANCE, String.format(Locale.ROOT,
                "chart of %d points drawn in %.1f ms (Performance API, headless Chromium)%n", LONG_HISTORY, millis),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
        assertThat(rows()).filteredOn(row -> !row.getText().contains("-manual-")).as("the demo's executions")
                .hasSize(4).allSatisfy(row -> assertThat(row.getText()).contains("SUCCEEDED"));
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

    @Test
    void runsPage_ofAnExperimentWith5000Runs_showsItsFirstPage() throws Exception {
        String big = json(rest.post("/api/2.0/mlflow/experiments/create", "{\"name\": \"console-5000\"}"))
                .at("/experiment_id").asText();
        for (int i = 0; i < BIG_EXPERIMENT; i++) {
            ok(rest.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"" + big + "\", \"run_name\": \"r-" + i
                    + "\", \"start_time\": " + (1_796_000_000_000L + i) + "}"));
        }

        StringBuilder measured = new StringBuilder();
        for (String load : List.of("first load", "second load")) {
            browser.navigate().to("about:blank");
            open("#/experiments/" + big);
            waitFor(By.linkText("r-" + (BIG_EXPERIMENT - 1)));
            assertThat(rows()).hasSize(100);
            Object shown = browser.executeScript("const m = performance.getEntriesByName('capstan-runs-page');"
                    + " const s = performance.getEntriesByType('resource').filter(r => r.name.endsWith('/runs/search'));"
                    + " return [m.length ? m[0].startTime : -1, s.length ? s[0].duration : -1];");
            List<?> times = (List<?>) shown;
            double page = ((Number) times.get(0)).doubleValue();
            assertThat(page).as("the Performance API mark of the first page").isGreaterThan(0);
            measured.append(String.format(Locale.ROOT, "first page of a %d-run experiment, %s: shown %.0f ms after the"
                    + " navigation began (runs/search %.0f ms)%n", BIG_EXPERIMENT, load, page,
                    ((Number) times.get(1)).doubleValue()));
        }
        screenshot("runs-5000");
        Files.writeString(PERFORMANCE, measured, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void driftPage_showsTheDemosReportsOverTime_andAReportsHtmlView() throws Exception {
        open("#/models/" + Demo.RETRAINED_MODEL + "/drift");
        waitFor(By.cssSelector(".card canvas"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("drifted");
        screenshot("drift");

        browser.findElement(By.xpath("//button[text()='View']")).click();
        String[] shown = reportInItsFrame();
        String report = shown[0];
        String banner = shown[1];

        assertThat(report).contains("mean_radius");
        assertThat(banner).as("the report's own style sheet applies in the frame (the console's content security"
                + " policy names its hash: update DRIFT_REPORT_STYLE in ConsoleFunction when HtmlReport's style"
                + " changes)").isIn("rgba(253, 236, 234, 1)", "rgba(232, 245, 233, 1)");
    }

    @Test
    void qualityPage_showsBothVersionsAndTheVerdict_itsReportsHtmlView_andRunsACheck() throws Exception {
        String reports = "/models/" + Demo.QUALITY_MODEL + "/quality?max_results=100";
        JsonNode before = json(rest.get(reports)).path("reports");
        JsonNode latest = before.path(0);
        assertThat(latest.at("/ab_test/verdict").asText()).as("the demo's A/B test").isEqualTo("challenger_better");

        open("#/models/" + Demo.QUALITY_MODEL + "/quality");
        WebElement verdict = waitFor(By.cssSelector("section.verdict"));
        waitFor(By.cssSelector(".card canvas"));
        screenshot("quality");

        assertThat(verdict.getText()).contains("challenger better", latest.at("/ab_test/reason").asText(),
                latest.path("decision").asText());
        assertThat(latest.path("versions")).hasSize(2);
        String page = browser.findElement(By.tagName("main")).getText();
        latest.path("versions").forEach(version -> assertThat(page).contains("v" + version.path("version").asText()
                + ": accuracy " + percent(version.at("/classification/accuracy").asDouble())));

        browser.findElement(By.xpath("//button[text()='View']")).click();
        String[] shown = reportInItsFrame();
        String report = shown[0];
        String banner = shown[1];
        assertThat(report).contains("Quality of " + Demo.QUALITY_MODEL, latest.path("report_id").asText());
        assertThat(banner).as("the report's own style sheet applies in the frame (the console's content security"
                + " policy names its hash: update QUALITY_REPORT_STYLE in ConsoleFunction when QualityReportHtml's"
                + " style changes)").isEqualTo("rgba(243, 243, 243, 1)");

        browser.findElement(By.xpath("//button[text()='Run a check']")).click();
        WebElement added = wait(Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//div[@role='status'][contains(., 'added.')]")));
        String id = added.getText().replaceAll("^Report (\\S+) added\\.$", "$1");
        waitFor(By.cssSelector("iframe.report[title='Quality report " + id + "']"));

        JsonNode after = json(rest.get(reports)).path("reports");
        assertThat(after).hasSize(before.size() + 1);
        assertThat(after.at("/0/report_id").asText()).isEqualTo(id);
    }

    /** A share as the quality page shows it (JavaScript's toFixed rounds the double's exact value). */
    private static String percent(double share) {
        return new BigDecimal(share * 100).setScale(1, RoundingMode.HALF_UP) + " %";
    }

    @Test
    void canaryAndRollback_fromTheModelPage_changeTheTrafficPolicyAndTheChampion() throws Exception {
        String model = Demo.SERVED_MODEL;
        String before = champion(model);
        String other = before.equals("1") ? "2" : "1";
        ok(rest.post("/api/2.0/capstan/registry/promote", "{\"name\": \"" + model + "\", \"version\": \"" + other
                + "\", \"reason\": \"console test: a promotion to roll back\"}"));

        open("#/models/" + model);
        WebElement canary = waitFor(By.xpath("//form[.//button[text()='Set canary split']]"));
        canary.findElement(By.cssSelector("input[aria-label='Reason (Set canary split)']")).sendKeys("console test: canary");
        canary.findElement(By.xpath(".//button[text()='Set canary split']")).click();
        waitFor(By.xpath("//button[text()='Clear the traffic policy']"));
        screenshot("model-canary");
        JsonNode traffic = json(rest.get("/api/2.0/capstan/registry/traffic?name=" + model));
        assertThat(traffic.at("/traffic_policy/routes").findValuesAsText("target"))
                .containsExactly("champion", "challenger");

        WebElement clear = browser.findElement(By.xpath("//form[.//button[text()='Clear the traffic policy']]"));
        clear.findElement(By.cssSelector("input")).sendKeys("console test: canary over");
        clear.findElement(By.tagName("button")).click();
        wait(Duration.ofSeconds(15)).until(driver -> driver.findElements(
                By.xpath("//button[text()='Clear the traffic policy']")).isEmpty());
        assertThat(json(rest.get("/api/2.0/capstan/registry/traffic?name=" + model)).has("traffic_policy")).isFalse();

        WebElement rollback = waitFor(By.xpath("//form[.//button[text()='Roll the champion back']]"));
        rollback.findElement(By.cssSelector("input")).sendKeys("console test: roll back");
        rollback.findElement(By.tagName("button")).click();
        wait(Duration.ofSeconds(15)).until(driver -> {
            try {
                return champion(model).equals(before);
            } catch (Exception e) {
                return false;
            }
        });
        waitFor(By.xpath("//*[contains(text(), 'console test: roll back')]"));
    }

    @Test
    void pipelineExecution_showsItsStatesInOrder_withTheirStatus() throws Exception {
        open("#/pipelines");
        WebElement upload = waitFor(By.xpath("//main//tbody//a[contains(text(), '-upload-')]"));
        upload.click();

        waitFor(By.cssSelector("svg.machine g.state"));
        screenshot("pipeline-execution");

        List<String> states = browser.findElements(By.cssSelector("ol.flow li strong")).stream()
                .map(WebElement::getText).toList();
        assertThat(states).contains("Validate").hasSizeGreaterThan(3);
        int defined = json(rest.get("/api/2.0/capstan/pipelines/definition")).path("states").size();
        assertThat(browser.findElements(By.cssSelector("svg.machine g.state"))).as("every state of the definition")
                .hasSize(defined);
        assertThat(browser.findElements(By.cssSelector("svg.machine g.state.SUCCEEDED"))).hasSize(states.size());
        assertThat(browser.findElements(By.cssSelector("svg.machine polyline.edge.taken"))).hasSize(states.size() - 1);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("SUCCEEDED");
    }

    @Test
    void approval_ofAnExecutionWaitingForAPerson_isGivenFromItsPage() throws Exception {
        String model = Demo.RETRAINED_MODEL;
        String execution = json(rest.post("/api/2.0/capstan/pipelines/" + model + "/runs", "{\"dataset_uri\":"
                + " \"s3://capstan-datasets/datasets/" + model + "/breast_cancer.csv\", \"gate\":"
                + " {\"manual_approval\": true}}")).at("/run/execution").asText();
        String path = "/api/2.0/capstan/pipelines/" + model + "/runs/" + execution;
        wait(Duration.ofSeconds(60)).until(driver -> {
            try {
                return json(rest.get(path)).at("/approval/status").asText().equals("PENDING");
            } catch (Exception e) {
                return false;
            }
        });

        open("#/pipelines/" + model + "/" + execution);
        waitFor(By.cssSelector("input[aria-label='Reason (approval)']")).sendKeys("console test: looked at it");
        screenshot("pipeline-approval");
        browser.findElement(By.xpath("//button[starts-with(text(), 'Approve v')]")).click();
        waitFor(By.xpath("//*[text()='APPROVED']"));

        JsonNode decided = json(rest.get(path));
        assertThat(decided.at("/approval/status").asText()).isEqualTo("APPROVED");
        assertThat(decided.at("/approval/reason").asText()).isEqualTo("console test: looked at it");
        wait(Duration.ofSeconds(60)).until(driver -> {
            try {
                return !json(rest.get(path)).at("/run/status").asText().equals("RUNNING");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(json(rest.get(path)).at("/run/status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void compare_twoRunsPickedOnTheRunsPage_showsParamDifferencesOverlayAndParallelCoordinates() throws Exception {
        open("#/experiments/" + experimentId);
        waitFor(By.linkText("logistic-regression-seed-42"));
        for (String run : List.of("logistic-regression-seed-42", "logistic-regression-2-epochs")) {
            browser.findElement(By.cssSelector("input[aria-label='Select " + run + "']")).click();
        }
        browser.findElement(By.xpath("//button[starts-with(text(), 'Compare selected')]")).click();

        waitFor(By.xpath("//h1[text()='Comparing 2 runs']"));
        waitFor(By.cssSelector(".card canvas"));
        screenshot("compare");

        assertThat(browser.findElements(By.cssSelector("tr.diff")).stream().map(WebElement::getText))
                .anyMatch(row -> row.startsWith("epochs"));
        assertThat(browser.findElements(By.cssSelector("svg.parallel polyline"))).hasSize(2);
    }

    @Test
    void playground_formFromTheModelsSchema_predictsWithTheChampion() throws Exception {
        open("#/models/" + Demo.SERVED_MODEL + "/predict");
        waitFor(By.cssSelector("input[aria-label='mean_radius']")).clear();
        browser.findElement(By.cssSelector("input[aria-label='mean_radius']")).sendKeys("14.1");
        browser.findElement(By.xpath("//button[text()='Predict']")).click();

        WebElement answered = waitFor(By.xpath("//h2[starts-with(text(), 'Answered by version')]"));
        screenshot("playground");

        assertThat(answered.getText()).isEqualTo("Answered by version " + champion(Demo.SERVED_MODEL));
        assertThat(browser.findElement(By.tagName("main")).getText()).containsAnyOf("malignant", "benign");
    }

    @Test
    void everyPage_passesAxesAccessibilityRules_fitsASmallLaptopScreen_andIsReachableByKeyboard() throws Exception {
        Map<String, List<String>> findings = new LinkedHashMap<>();
        for (Map.Entry<String, By> page : demoPages().entrySet()) {
            open(page.getKey());
            waitFor(page.getValue());
            wait(Duration.ofSeconds(15)).until(driver -> driver.findElements(By.cssSelector("main .loading")).isEmpty());
            List<String> found = new ArrayList<>();
            Results axe = new AxeBuilder().withTags(AXE_TAGS).analyze(browser);
            assertThat(axe.isErrored()).as(axe.getErrorMessage()).isFalse();
            axe.getViolations().forEach(rule -> found.add(rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp()
                    + " at " + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList()));
            found.addAll(unreachableByTab());
            browser.manage().window().setSize(SMALL_LAPTOP);
            int overflow = sidewaysScrollAfterRelayout();
            if (overflow > 0) {
                found.add("the page scrolls sideways by " + overflow + " px at " + SMALL_LAPTOP.width + " px");
            }
            browser.manage().window().setSize(new Dimension(1280, 900));
            if (!found.isEmpty()) {
                findings.put(page.getKey(), found);
            }
        }

        assertThat(findings).as("accessibility findings (axe-core " + AXE_TAGS + ", Tab order, width), by page")
                .isEmpty();
    }

    @Test
    void twoRuns_comparedWithTheKeyboardAlone() throws Exception {
        open("#/experiments/" + experimentId);
        waitFor(By.linkText("logistic-regression-seed-42"));
        tabTo("input[aria-label='Select logistic-regression-seed-42']").sendKeys(Keys.SPACE);
        tabTo("input[aria-label='Select logistic-regression-2-epochs']").sendKeys(Keys.SPACE);
        tabTo("button.compare").sendKeys(Keys.ENTER);

        waitFor(By.xpath("//h1[text()='Comparing 2 runs']"));
        assertThat(browser.findElements(By.cssSelector("svg.parallel polyline"))).hasSize(2);
        WebElement series = tabTo(".u-legend .u-series th[role=button]");
        series.sendKeys(Keys.ENTER);
        assertThat(series.getAttribute("aria-pressed")).as("the series is hidden from the keyboard").isEqualTo("false");
        assertThat(series.findElement(By.xpath("..")).getAttribute("class")).contains("u-off");
    }

    @Test
    void slowAndUnreachableApi_showTheLoadingIndicatorAndTheError() throws Exception {
        ChromeDriver throttled = Chromium.start();
        try {
            throttled.get(platform.url() + "/#/models");
            waitFor(throttled, By.linkText(Demo.SERVED_MODEL));
            ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
            slow.setLatency(Duration.ofMillis(800));
            throttled.setNetworkConditions(slow);
            throttled.executeScript("location.hash = arguments[0];", "#/experiments/" + experimentId);
            WebElement loading = waitFor(throttled, By.cssSelector("main .loading"));
            assertThat(loading.getText()).isEqualTo("Loading…");
            waitFor(throttled, By.linkText("logistic-regression-seed-42"));
            assertThat(throttled.findElements(By.cssSelector("main .loading"))).as("the indicator once answered")
                    .isEmpty();

            ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
            offline.setOffline(true);
            throttled.setNetworkConditions(offline);
            throttled.executeScript("location.hash = arguments[0];", "#/models");
            WebElement error = waitFor(throttled, By.cssSelector("main .error"));
            Files.write(SCREENSHOTS.resolve("api-unreachable.png"), throttled.getScreenshotAs(OutputType.BYTES));
            assertThat(error.getText()).contains("cannot be reached", "UNREACHABLE");
        } finally {
            throttled.quit();
        }
    }

    /**
     * The report the page shows in its sandboxed frame: its text and its banner's background colour (set by the
     * report's own style sheet, which only the console's content security policy's hash admits).
     */
    private String[] reportInItsFrame() {
        WebElement frame = waitFor(By.cssSelector("iframe.report"));
        assertThat(frame.getAttribute("sandbox")).as("no script runs in the report's frame").isEmpty();
        browser.switchTo().frame(frame);
        try {
            String text = wait(Duration.ofSeconds(15)).until(driver -> {
                String body = driver.findElement(By.tagName("body")).getText();
                return body.isEmpty() ? null : body;
            });
            return new String[] {text, browser.findElement(By.cssSelector(".banner")).getCssValue("background-color")};
        } finally {
            browser.switchTo().defaultContent();
        }
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

    /** Each page of the console on the demo's objects, with what shows that it has loaded. */
    private Map<String, By> demoPages() throws Exception {
        JsonNode runs = json(rest.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"" + experimentId
                + "\"], \"filter\": \"attributes.run_name LIKE 'logistic-regression%'\"}")).path("runs");
        String run = runs.at("/0/info/run_id").asText();
        String execution = json(rest.get("/api/2.0/capstan/pipelines/" + Demo.RETRAINED_MODEL + "/runs"))
                .at("/runs/0/execution").asText();
        String model = Demo.SERVED_MODEL;
        Map<String, By> pages = new LinkedHashMap<>();
        pages.put("#/experiments", By.linkText("breast-cancer"));
        pages.put("#/experiments/" + experimentId, By.linkText("logistic-regression-seed-42"));
        pages.put("#/experiments/" + experimentId + "/runs/" + run, By.cssSelector(".card canvas"));
        pages.put("#/experiments/" + experimentId + "/compare?runs=" + run + "," + runs.at("/1/info/run_id").asText(),
                By.cssSelector("svg.parallel"));
        pages.put("#/models", By.linkText(model));
        pages.put("#/models/" + model, By.xpath("//h2[text()='Audit trail']"));
        pages.put("#/models/" + model + "/versions/1", By.cssSelector("form.action input"));
        pages.put("#/models/" + Demo.RETRAINED_MODEL + "/drift", By.cssSelector(".card canvas"));
        pages.put("#/models/" + Demo.QUALITY_MODEL + "/quality", By.cssSelector(".card canvas"));
        pages.put("#/models/" + model + "/predict", By.cssSelector("input[aria-label='mean_radius']"));
        pages.put("#/pipelines", By.linkText(Demo.RETRAINED_MODEL));
        pages.put("#/pipelines/" + Demo.RETRAINED_MODEL + "/" + execution, By.cssSelector("svg.machine g.state"));
        return pages;
    }

    /**
     * What the Tab key does not reach among the page's visible links, buttons and fields: Tab is pressed from the top
     * of the page until the focus comes back to an element it has been on.
     */
    private List<String> unreachableByTab() {
        browser.executeScript("document.activeElement && document.activeElement.blur();"
                + " document.querySelectorAll('[data-tabbed]').forEach(e => e.removeAttribute('data-tabbed'));");
        Actions keyboard = new Actions(browser);
        for (int presses = 0; presses < 1_000; presses++) {
            keyboard.sendKeys(Keys.TAB).perform();
            Boolean seen = (Boolean) browser.executeScript("const e = document.activeElement;"
                    + " if (!e || e === document.body) return false;"
                    + " if (e.hasAttribute('data-tabbed')) return true; e.setAttribute('data-tabbed', ''); return false;");
            if (seen) {
                break;
            }
        }
        @SuppressWarnings("unchecked")
        List<String> missed = (List<String>) browser.executeScript("return [...document.querySelectorAll("
                + "'a[href], button, input, select, textarea, [tabindex]:not([tabindex=\"-1\"])')]"
                + ".filter(e => !e.disabled && e.getClientRects().length && !e.hasAttribute('data-tabbed'))"
                + ".map(e => 'not reached by Tab: <' + e.tagName.toLowerCase() + '> '"
                + " + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40));");
        return missed;
    }

    /** How far the page scrolls sideways once the layout has followed a resize (charts redraw a frame later). */
    private int sidewaysScrollAfterRelayout() {
        String overflow = "return document.documentElement.scrollWidth - document.documentElement.clientWidth;";
        try {
            wait(Duration.ofSeconds(3)).until(driver -> ((Number) browser.executeScript(overflow)).intValue() <= 0);
        } catch (TimeoutException e) {
            // still wider than the window after the layout settled: reported below
        }
        return ((Number) browser.executeScript(overflow)).intValue();
    }

    /** Presses Tab until the element that the selector names has the focus. */
    private WebElement tabTo(String selector) {
        WebElement target = browser.findElement(By.cssSelector(selector));
        Actions keyboard = new Actions(browser);
        for (int presses = 0; presses < 200; presses++) {
            keyboard.sendKeys(Keys.TAB).perform();
            if (target.equals(browser.switchTo().activeElement())) {
                return target;
            }
        }
        throw new AssertionError("Tab never reached " + selector);
    }

    private void open(String fragment) {
        browser.get(platform.url() + "/" + fragment);
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("main tbody tr"));
    }

    private WebElement waitFor(By locator) {
        return waitFor(browser, locator);
    }

    private static WebElement waitFor(ChromeDriver in, By locator) {
        try {
            return new WebDriverWait(in, Duration.ofSeconds(15))
                    .until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (TimeoutException e) {
            throw new AssertionError("not shown: " + locator + "; the page shows: "
                    + in.findElement(By.tagName("main")).getText(), e);
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
