package io.capstan.local.testutils;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through chromium-driver, both found on the PATH (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs): no browser or driver is downloaded. The browser's console
 * is kept, so that tests can check a page logged no error.
 */
public final class Chromium {
    private Chromium() {
    }

    /** A new headless browser at 1280 × 900. */
    public static ChromeDriver start() {
        Path driver = onPath("chromedriver").orElseThrow(() -> new IllegalStateException(
                "chromedriver is not on the PATH: install Debian's chromium and chromium-driver (.ci/run does)"));
        Path browser = onPath("chromium").or(() -> onPath("chromium-browser")).or(() -> onPath("google-chrome"))
                .orElseThrow(() -> new IllegalStateException("no chromium on the PATH: install Debian's chromium"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> onPath(String name) {
        List<String> folders = Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return folders.stream().map(folder -> Path.of(folder, name)).filter(Files::isExecutable).findFirst();
    }
}
