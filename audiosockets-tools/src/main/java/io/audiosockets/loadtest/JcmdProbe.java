package io.audiosockets.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM on this machine (the forked mailman), through the JDK's
 * {@code jcmd}: {@code GC.run}, then {@code GC.heap_info}'s "used" figure. Used only for memory
 * per idle connection, outside any timed measurement.
 */
final class JcmdProbe {
    private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private JcmdProbe() {
    }

    /** The heap in use in JVM {@code pid} after a full collection, or empty if jcmd is missing or fails. */
    static OptionalLong liveHeapBytes(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            run(List.of(jcmd.toString(), Long.toString(pid), "GC.run"));
            run(List.of(jcmd.toString(), Long.toString(pid), "GC.run"));
            return parseUsed(run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info")));
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The "used" figure of a {@code GC.heap_info} output, in bytes. */
    static OptionalLong parseUsed(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
