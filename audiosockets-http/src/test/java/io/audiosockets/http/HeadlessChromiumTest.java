package io.audiosockets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser tests' ground: Debian's chromium, driven by {@link HeadlessChromium}, loads a page from a
 * real HTTP server on loopback, runs its JavaScript (a canvas drawing and a fetch back to the server),
 * answers a script, saves a screenshot that shows the page, and leaves no process behind.
 */
class HeadlessChromiumTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** A red half and a blue half on a canvas at the page's top left corner; the text comes from the server. */
    private static final String PAGE = """
            <!doctype html>
            <html><head><style>body { margin: 0 } canvas { display: block }</style></head>
            <body>
            <canvas id="meter" width="64" height="32"></canvas>
            <p id="token">waiting</p>
            <script>
              const ctx = document.getElementById('meter').getContext('2d');
              ctx.fillStyle = 'rgb(255, 0, 0)';
              ctx.fillRect(0, 0, 32, 32);
              ctx.fillStyle = 'rgb(0, 0, 255)';
              ctx.fillRect(32, 0, 32, 32);
              fetch('/token').then(r => r.text()).then(t => { document.getElementById('token').textContent = t; });
            </script>
            </body></html>
            """;

    private final String token = UUID.randomUUID().toString();
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> respond(exchange, "text/html", PAGE));
        server.createContext("/token", exchange -> respond(exchange, "text/plain", token));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void runsThePagesScriptsAndSavesAScreenshotOfIt() throws IOException {
        Path screenshot = Path.of("target", "screenshots", "headless-chromium-smoke.png");
        Files.deleteIfExists(screenshot);
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            System.out.printf("chromium and chromedriver started in %d ms%n", chromium.startup().toMillis());
            chromium.open("http://127.0.0.1:" + server.getAddress().getPort() + "/");

            // The text arrives by a fetch the page's script makes after loading: wait for it, no sleep.
            new WebDriverWait(chromium.driver(), PATIENCE)
                    .until(ExpectedConditions.textToBe(By.id("token"), token));
            assertThat(pixel(chromium, 16, 16)).as("the red half of the canvas").containsExactly(255L, 0L, 0L, 255L);
            assertThat(pixel(chromium, 48, 16)).as("the blue half of the canvas").containsExactly(0L, 0L, 255L, 255L);

            assertThat(chromium.screenshot(screenshot)).isEqualTo(screenshot);
        }
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("%s read as a PNG", screenshot).isNotNull();
        assertThat(image.getWidth()).as("the screenshot's width: the window's").isEqualTo(1280);
        assertThat(rgb(image, 16, 16)).as("the canvas's red half on the screenshot").isEqualTo(0xff0000);
        assertThat(rgb(image, 48, 16)).as("the canvas's blue half on the screenshot").isEqualTo(0x0000ff);
    }

    @Test
    void leavesNoProcessBehindAndDeletesItsProfile() {
        HeadlessChromium chromium = HeadlessChromium.start();
        System.out.printf("chromium and chromedriver started in %d ms%n", chromium.startup().toMillis());
        List<ProcessHandle> processes;
        try {
            chromium.open("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            processes = chromium.processes();
            assertThat(processes).as("chromium's processes, found by their profile folder").isNotEmpty();
        } finally {
            chromium.close();
        }
        await("every chromium process of " + chromium + " to exit").atMost(PATIENCE)
                .until(() -> processes.stream().noneMatch(HeadlessChromiumTest::running));
        assertThat(chromium.processes()).as("processes naming the profile after close").isEmpty();
        assertThat(chromium.profile()).as("the temporary profile after close").doesNotExist();
    }

    @Test
    void aMissingBrowserSkipsTheTestSayingHowToInstallIt() {
        Path nowhere = Path.of("/nonexistent/chromium");
        assertThatThrownBy(() -> HeadlessChromium.requireOrSkip(nowhere, HeadlessChromium.CHROMEDRIVER, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install chromium chromium-driver")
                .hasMessageContaining(nowhere.toString());
    }

    @Test
    void aMissingBrowserFailsTheTestWhereItIsRequired() {
        Path nowhere = Path.of("/nonexistent/chromedriver");
        assertThatThrownBy(() -> HeadlessChromium.requireOrSkip(HeadlessChromium.CHROMIUM, nowhere, true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(HeadlessChromium.REQUIRE)
                .hasMessageContaining("apt-get install chromium chromium-driver");
    }

    /** The RGBA of one canvas pixel, read by the page's own JavaScript. */
    @SuppressWarnings("unchecked")
    private static List<Long> pixel(HeadlessChromium chromium, int x, int y) {
        return (List<Long>) ((JavascriptExecutor) chromium.driver()).executeScript(
                "return Array.from(document.getElementById('meter').getContext('2d')"
                        + ".getImageData(arguments[0], arguments[1], 1, 1).data);", x, y);
    }

    /**
     * Whether a process still runs: an exited one that nobody has reaped yet (a zombie, state Z in
     * /proc) is dead, though {@link ProcessHandle#isAlive()} still sees it. Chromium's crash handler
     * is re-parented to init, which reaps it when it gets to it.
     */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // pid (comm) state ...: comm may hold spaces and parentheses, so the state follows the last ')'.
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
