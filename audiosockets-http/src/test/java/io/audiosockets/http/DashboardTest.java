package io.audiosockets.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.audio.SyntheticSource.Waveform;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.processor.ResultPublisher;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.Wire;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless chromium against a running mailman, real recorders and
 * processors: the page shows each stream, its level meter follows the signal, its spectrogram
 * scrolls, processor rows come and go with the processors, result streams and gaps appear, a stream
 * that stops says so and its meter falls; the page raises no script error, and keeps up with 100
 * streams. Screenshots under {@code target/screenshots/}.
 */
class DashboardTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** For the 100 streams: a busy 2-core machine stretches the feed's ticks to seconds. */
    private static final Duration LOAD_PATIENCE = Duration.ofSeconds(60);
    /** 16 kHz mono PCM16, as a microphone recorder sends by default. */
    private static final StreamFormat FORMAT = new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE);
    /**
     * Records the page's script errors, failed loads and console.error calls in {@code window.__errors},
     * installed before any script of the page runs.
     */
    private static final String ERROR_HOOK = """
            window.__errors = [];
            window.addEventListener('error', (e) => {
              if (e.target && e.target !== window) {
                window.__errors.push('failed to load ' + (e.target.src || e.target.href || e.target.tagName));
              } else {
                window.__errors.push(e.message + ' at ' + e.filename + ':' + e.lineno);
              }
            }, true);
            window.addEventListener('unhandledrejection', (e) => window.__errors.push('unhandled rejection: ' + e.reason));
            const consoleError = console.error;
            console.error = function (...args) {
              window.__errors.push('console.error: ' + args.join(' '));
              consoleError.apply(console, args);
            };
            """;

    private static HeadlessChromium chromium;

    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();
    private MailmanHttp http;

    @BeforeAll
    static void startBrowser() {
        chromium = HeadlessChromium.start();
        System.out.printf("chromium and chromedriver started in %d ms%n", chromium.startup().toMillis());
        ((ChromeDriver) chromium.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_HOOK));
        // The hook catches what it must, or the tests' "no script errors" would prove nothing.
        chromium.open("data:text/html,<script>console.error('probe one'); throw new Error('probe two');</script>");
        assertThat(errors()).as("errors the hook saw on a page that makes two").hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("probe one")).anySatisfy(e -> assertThat(e).contains("probe two"));
    }

    @AfterAll
    static void quitBrowser() {
        // Quits the browser and its driver (HeadlessChromiumTest shows that this leaves no process behind).
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void serve() {
        http = fixture.track(MailmanHttp.start(fixture.mailman(), "127.0.0.1", 0));
    }

    @AfterEach
    void noScriptErrors() {
        // Leave the page before the mailman goes, so that its reconnection attempts do not outlive the test.
        List<String> errors = errors();
        chromium.open("about:blank");
        assertThat(errors).as("script errors, failed loads and console errors of the dashboard").isEmpty();
    }

    @Test
    void showsLevelsSpectrogramsProcessorsResultsGapsAndStoppedStreams() throws Exception {
        // Three recorders: speech-like bursts (1 s quiet, 1 s of a 300 Hz tone), a steady tone, noise.
        Recorder voice = recorder("voice", new SyntheticSource(Waveform.BURSTS, 300, 0.5, FORMAT, true, Long.MAX_VALUE));
        recorder("tone", new SyntheticSource(Waveform.SINE, 1500, 0.25, FORMAT, true, Long.MAX_VALUE));
        recorder("noise", new SyntheticSource(Waveform.NOISE, 1000, 0.1, FORMAT, true, Long.MAX_VALUE));
        // A processor on every stream, and a voice detector publishing its results as a stream of its own.
        BaseProcessor levels = processor(ProcessorOptions.builder("levels").config(fixture.client()).build(), c -> { });
        ResultPublisher vadOut = fixture.track(new ResultPublisher("voice.vad", fixture.client()).start());
        AtomicBoolean speaking = new AtomicBoolean();
        processor(ProcessorOptions.builder("vad").subscribe("voice").config(fixture.client()).build(), c -> {
            boolean loud = peak(c.samples()) > 0.1;
            if (speaking.getAndSet(loud) != loud) {
                vadOut.publishJson(c.captureTimeNanos(), 0, "{\"event\":\"" + (loud ? "speech_start" : "speech_end") + "\"}");
            }
        });
        levels.connected().get();

        chromium.open(http.url());
        WebDriverWait wait = new WebDriverWait(chromium.driver(), PATIENCE);
        WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("div.card[data-stream='voice']")));
        wait.until(d -> "live".equals(card.getAttribute("data-state")));

        // The meter follows the bursts: high while the tone sounds, low in the pauses, and back.
        wait.until(d -> rmsDbfs("voice") > -20);
        wait.until(d -> rmsDbfs("voice") < -40);
        wait.until(d -> rmsDbfs("voice") > -20);
        assertThat(rmsDbfs("tone")).as("the steady tone's level (0.25 peak: -15 dBFS RMS)").isBetween(-20.0, -10.0);

        // The spectrogram scrolls: more columns, and other pixels.
        long columns = columns("voice");
        long pixels = canvasHash("voice");
        wait.until(d -> columns("voice") > columns + 50 && canvasHash("voice") != pixels);

        // Processor rows come and go with the processors.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-processor='levels']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-processor='vad']")));
        BaseProcessor late = processor(ProcessorOptions.builder("late-joiner").subscribe("tone").config(fixture.client()).build(),
                c -> { });
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-processor='late-joiner']")));
        late.close();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-processor='late-joiner']"), 0));
        assertThat(chromium.driver().findElements(By.cssSelector("tr[data-processor]"))).as("the processors still connected")
                .extracting(e -> e.getAttribute("data-processor")).containsExactlyInAnyOrder("levels", "vad");

        // The detector's result stream has a row of its own, not a card.
        wait.until(d -> !d.findElements(By.cssSelector("tr[data-result='voice.vad'][data-publisher='connected']")).isEmpty()
                && Long.parseLong(d.findElement(By.cssSelector("tr[data-result='voice.vad']")).getAttribute("data-last-seq")) >= 1);
        assertThat(chromium.driver().findElements(By.cssSelector("div.card[data-stream='voice.vad']"))).as("cards of result streams")
                .isEmpty();

        // A recorder that skips chunks 5..9: the processor on every stream gets a gap, and the event log shows it.
        try (RawClient skipper = Wire.recorder(fixture.mailman().port(), "skipper")) {
            Wire.produce(skipper, "skipper", 0, 4, 320);
            Wire.produce(skipper, "skipper", 10, 14, 320);
            WebElement gap = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events li[data-kind='GAP']")));
            assertThat(gap.getText()).as("the gap's event").contains("levels").contains("skipper").contains("5..9");
        }
        // Its recorder gone, the card says so and the meter falls from the last chunk's level.
        wait.until(d -> "stopped".equals(d.findElement(By.cssSelector("div.card[data-stream='skipper']")).getAttribute("data-state")));
        wait.until(d -> rmsDbfs("skipper") <= -60);
        // Tall enough for every section: the picture of the dashboard docs/dashboard.png is taken from.
        chromium.driver().manage().window().setSize(new Dimension(1280, 1040));
        wait.until(d -> rmsDbfs("voice") > -20);
        Path shot = chromium.screenshot(Path.of("target", "screenshots", "dashboard.png"));
        System.out.println("dashboard screenshot: " + shot.toAbsolutePath());

        // The bursts recorder stops: its card says so and its meter falls to the floor rather than freeze.
        wait.until(d -> rmsDbfs("voice") > -20);
        voice.close();
        wait.until(d -> "stopped".equals(card.getAttribute("data-state")));
        wait.until(d -> rmsDbfs("voice") <= -60);
        assertThat(card.findElement(By.cssSelector(".meter .rms")).getAttribute("style")).as("the stopped stream's meter")
                .contains("width: 0%");
        assertThat(card.findElement(By.cssSelector(".state")).getText()).as("what the card says").contains("recorder gone");
        assertThat(chromium.driver().findElement(By.cssSelector("div.card[data-stream='tone']")).getAttribute("data-state"))
                .as("the other streams carry on").isEqualTo("live");
        chromium.screenshot(Path.of("target", "screenshots", "dashboard-stopped.png"));

        // The mailman's HTTP side goes away: the page says so, and no meter stays where it was.
        wait.until(d -> rmsDbfs("tone") > -20);
        http.close();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "disconnected"));
        wait.until(d -> rmsDbfs("tone") <= -60 && rmsDbfs("noise") <= -60);
        assertThat(chromium.driver().findElements(By.cssSelector("div.card[data-state='live']"))).as("cards still live").isEmpty();
    }

    @Test
    void keepsUpWithAHundredStreams() throws Exception {
        int streams = 100;
        int frames = 1600; // 100 ms at 16 kHz: 1000 chunks a second in all
        List<RawClient> recorders = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            recorders.add(fixture.track(Wire.recorder(fixture.mailman().port(), name(i))));
        }
        AtomicLong sent = new AtomicLong(-1);
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(recorders, frames, sent, producing), "hundred-recorders");
        producer.start();
        try {
            long opened = System.nanoTime();
            chromium.open(http.url());
            WebDriverWait wait = new WebDriverWait(chromium.driver(), LOAD_PATIENCE);
            wait.withMessage(DashboardTest::pageSummary);
            wait.until(d -> d.findElements(By.cssSelector("div.card[data-state='live'] canvas.spectrogram[data-columns]")).size()
                    == streams);
            System.out.printf("%d live cards with spectrograms %d ms after the page was opened%n", streams,
                    (System.nanoTime() - opened) / 1_000_000);
            js("window.__frames = []; let last = performance.now();"
                    + "const frame = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(frame); };"
                    + "requestAnimationFrame(frame);"
                    + "window.__longTasks = 0; new PerformanceObserver((l) => { window.__longTasks += l.getEntries().length; })"
                    + ".observe({entryTypes: ['longtask']});"
                    + "const s = window.audiosocketsDashboard; window.__before = {messages: s.messages, handlingMs: s.handlingMs};"
                    + "s.maxHandlingMs = 0;");
            List<Long> before = allColumns();
            long start = System.nanoTime();
            long sentBefore = sent.get();
            // At least four seconds of 100 streams at real time, the page open, and every spectrogram a second further.
            wait.withMessage(() -> "spectrograms grown by more than 50 columns: " + grown(before) + " of " + streams
                    + "; chunks sent per stream since: " + (sent.get() - sentBefore) + "; " + pageSummary());
            wait.until(d -> System.nanoTime() - start > 4_000_000_000L && grown(before) == streams);
            System.out.printf("every spectrogram grew by 50 columns or more in %d ms; %d chunks sent per stream meanwhile%n",
                    (System.nanoTime() - start) / 1_000_000, sent.get() - sentBefore);
            @SuppressWarnings("unchecked")
            Map<String, Object> figures = (Map<String, Object>) js(
                    "const s = window.audiosocketsDashboard, f = window.__frames.slice(1).sort((a, b) => a - b);"
                            + "const q = (p) => f.length ? f[Math.min(f.length - 1, Math.floor(p * f.length))] : -1;"
                            + "const n = s.messages - window.__before.messages;"
                            + "return {messages: n, meanHandlingMs: (s.handlingMs - window.__before.handlingMs) / n,"
                            + " maxHandlingMs: s.maxHandlingMs, frames: f.length, frameP50Ms: q(0.5), frameP95Ms: q(0.95),"
                            + " frameMaxMs: f.length ? f[f.length - 1] : -1, longTasks: window.__longTasks};");
            System.out.printf("dashboard with %d streams: %s%n", streams, figures);
            // Figures only, no bound on them: on a busy 2-core machine the feed's ticks and the page's frames stretch.
            chromium.screenshot(Path.of("target", "screenshots", "dashboard-100-streams.png"));
        } finally {
            producing.set(false);
            producer.join();
        }
        // The page is not behind: every card reaches the last chunk sent.
        long last = sent.get();
        new WebDriverWait(chromium.driver(), LOAD_PATIENCE).withMessage(() -> "cards at the last chunk sent (" + last + "): "
                + allSeqs().stream().filter(s -> s == last).count() + "; " + pageSummary())
                .until(d -> allSeqs().stream().allMatch(s -> s == last));
    }

    /** Sends a chunk of {@code frames} frames of every stream per chunk duration from one thread, until told to stop. */
    private static void produce(List<RawClient> recorders, int frames, AtomicLong sent, AtomicBoolean producing) {
        long begin = System.nanoTime();
        try {
            for (long seq = 0; producing.get(); seq++) {
                long due = begin + seq * frames * 62_500L; // 62.5 µs a frame at 16 kHz
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing to real time, not synchronisation
                }
                for (int i = 0; i < recorders.size(); i++) {
                    recorders.get(i).send(Wire.audio(name(i), seq, frames));
                }
                sent.set(seq);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the hundred recorders could not send", e);
        }
    }

    private static double peak(float[] samples) {
        double peak = 0;
        for (float v : samples) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }

    private static String name(int i) {
        return String.format("s%03d", i);
    }

    private Recorder recorder(String stream, SyntheticSource source) {
        return fixture.track(new Recorder(source, RecorderOptions.builder().config(fixture.client()).stream(stream)
                .period(Duration.ofMillis(20)).build())).startAsync();
    }

    private BaseProcessor processor(ProcessorOptions options, io.audiosockets.processor.ChunkHandler handler) {
        return fixture.track(BaseProcessor.of(options, handler)).startAsync();
    }

    private static double rmsDbfs(String stream) {
        String v = chromium.driver().findElement(By.cssSelector("div.card[data-stream='" + stream + "']")).getAttribute("data-rms-dbfs");
        return v == null ? Double.NaN : v.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
    }

    private static long columns(String stream) {
        String v = chromium.driver().findElement(By.cssSelector("div.card[data-stream='" + stream + "'] canvas.spectrogram"))
                .getAttribute("data-columns");
        return v == null ? 0 : Long.parseLong(v);
    }

    /** A hash of every pixel of the stream's spectrogram, read with getImageData. */
    private static long canvasHash(String stream) {
        return ((Number) js("const c = document.querySelector(\"div.card[data-stream='\" + arguments[0] + \"'] canvas.spectrogram\");"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let h = 0; for (let i = 0; i < d.length; i++) { h = (Math.imul(h, 31) + d[i]) | 0; } return h;", stream)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> allColumns() {
        return ((List<Object>) js("return Array.from(document.querySelectorAll('div.card')).sort((a, b) =>"
                + " a.dataset.stream.localeCompare(b.dataset.stream)).map(c => Number(c.querySelector('canvas').dataset.columns || 0));"))
                .stream().map(o -> ((Number) o).longValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> allSeqs() {
        return ((List<Object>) js("return Array.from(document.querySelectorAll('div.card')).map(c => Number(c.dataset.seq ?? -1));"))
                .stream().map(o -> ((Number) o).longValue()).toList();
    }

    /** How many cards show more than 50 spectrogram columns (1 s) more than {@code before}. */
    private static long grown(List<Long> before) {
        List<Long> now = allColumns();
        return java.util.stream.IntStream.range(0, Math.min(now.size(), before.size())).filter(i -> now.get(i) > before.get(i) + 50)
                .count();
    }

    /** What the page shows, for a failed wait's message. */
    private static String pageSummary() {
        return String.valueOf(js("const cards = Array.from(document.querySelectorAll('div.card'));"
                + "return {cards: cards.length, live: cards.filter(c => c.dataset.state === 'live').length,"
                + " withColumns: cards.filter(c => c.querySelector('canvas').dataset.columns).length,"
                + " connection: document.getElementById('connection').textContent, stats: window.audiosocketsDashboard,"
                + " states: cards.slice(0, 5).map(c => c.dataset.stream + ' ' + c.dataset.state + ' ' + c.querySelector('.state').textContent),"
                + " errors: window.__errors};"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> errors() {
        Object errors = js("return window.__errors || [];");
        return (List<String>) errors;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) chromium.driver()).executeScript(script, args);
    }
}
