package io.audiosockets.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromedriver} with Selenium, for
 * the dashboard's browser tests. Both paths are given to Selenium, so Selenium Manager never runs (it
 * would try to download a browser and a driver: this machine reaches no such site). The browser gets
 * a profile of its own in a temporary folder, deleted by {@link #close()}, and reaches loopback only.
 *
 * <p>Where the packages are missing the test is skipped, saying how to install them, unless
 * {@value #REQUIRE} is set (as {@code .ci/run} does after installing them): then it fails.
 */
public final class HeadlessChromium implements AutoCloseable {
    /** Debian's launcher script (package {@code chromium}). */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Debian's driver of the same build (package {@code chromium-driver}). */
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The environment variable that turns a missing chromium into a failure instead of a skip. */
    public static final String REQUIRE = "AUDIOSOCKETS_REQUIRE_CHROMIUM";

    private static final Path LOGS = Path.of("target", "chromium");

    private final Path profile;
    private final ChromeDriver driver;
    private final Duration startup;
    private boolean closed;

    private HeadlessChromium(Path profile, ChromeDriver driver, Duration startup) {
        this.profile = profile;
        this.driver = driver;
        this.startup = startup;
    }

    /**
     * Starts chromedriver and a headless chromium with an empty profile; skips the calling test
     * when they are not installed (fails instead under {@value #REQUIRE}).
     *
     * @return the running browser, to be closed by the caller
     */
    public static HeadlessChromium start() {
        requireOrSkip(CHROMIUM, CHROMEDRIVER, System.getenv(REQUIRE) != null);
        // Should anything still reach Selenium Manager, it is told not to use the network (it reads SE_* properties).
        System.setProperty("SE_OFFLINE", "true");
        long begin = System.nanoTime();
        Path profile = createTempDirectory();
        ChromeDriverService service = null;
        try {
            Files.createDirectories(LOGS);
            service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    // Chromium's crash handler writes under XDG_CONFIG_HOME (~/.config/chromium), whatever the profile:
                    // kept inside the profile, it leaves nothing in the home folder and names the profile on its
                    // command line like every other process of this browser.
                    .withEnvironment(Map.of("XDG_CONFIG_HOME", profile.resolve("xdg-config").toString(),
                            "XDG_CACHE_HOME", profile.resolve("xdg-cache").toString()))
                    .withLogFile(LOGS.resolve("chromedriver-" + profile.getFileName() + ".log").toFile())
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options(profile));
            return new HeadlessChromium(profile, driver, Duration.ofNanos(System.nanoTime() - begin));
        } catch (RuntimeException | IOException e) {
            if (service != null) {
                service.stop();
            }
            deleteRecursively(profile);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Skips the calling test, saying how to install them, when the browser or its driver is missing;
     * fails it instead when {@code required}.
     */
    static void requireOrSkip(Path chromium, Path chromedriver, boolean required) {
        boolean present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        String missing = "Debian's chromium and chromium-driver are not installed (" + chromium + ", " + chromedriver
                + "): apt-get install chromium chromium-driver, as .ci/run does";
        if (required && !present) {
            throw new AssertionError(missing + "; " + REQUIRE + " is set, so the browser test fails instead of skipping");
        }
        Assumptions.assumeTrue(present, missing + "; the browser test is skipped");
    }

    private static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                // Root in a container: chromium's sandbox needs user namespaces it does not get here.
                "--no-sandbox",
                // /dev/shm is small in containers; chromium falls back to /tmp.
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1280,800",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                // Loopback only: no background requests, no DNS, and anything not on loopback goes to a closed port.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--proxy-server=http://127.0.0.1:9");
        return options;
    }

    /**
     * Loads a page and waits for its load event.
     *
     * @param url the page, on loopback
     */
    public void open(String url) {
        driver.get(url);
    }

    /**
     * The Selenium driver, for what this class does not wrap (waits, element look-ups, scripts).
     *
     * @return the driver of this browser
     */
    public WebDriver driver() {
        return driver;
    }

    /**
     * How long chromedriver and the browser took to start, up to a session ready for a page.
     *
     * @return the start-up time measured by {@link #start()}
     */
    public Duration startup() {
        return startup;
    }

    /**
     * The browser's profile folder: every chromium process of this browser names it on its command line.
     *
     * @return the temporary {@code --user-data-dir}
     */
    public Path profile() {
        return profile;
    }

    /**
     * The live processes of this browser, found by their profile folder on the command line.
     *
     * @return chromium's processes (browser, renderers, utilities) still running
     */
    public List<ProcessHandle> processes() {
        String marker = profile.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    /**
     * Saves what the browser's viewport shows as a PNG, a test's artefact (under {@code target/}).
     *
     * @param file where to write, its folders created as needed
     * @return {@code file}
     */
    public Path screenshot(Path file) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the screenshot to " + file, e);
        }
    }

    /** Quits the browser and its driver, then deletes the profile. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } finally {
            deleteRecursively(profile);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("audiosockets-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary profile folder for chromium", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        IOException last = null;
        // A browser process still exiting may remove or add a file under the walk: walk again.
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                last = e;
            }
        }
        if (Files.exists(dir)) {
            throw new UncheckedIOException("cannot delete chromium's profile " + dir,
                    last != null ? last : new IOException(dir + " kept filling while it was deleted"));
        }
    }

    @Override
    public String toString() {
        return "HeadlessChromium[" + CHROMIUM + ", profile " + profile + "]";
    }
}
