package io.audiosockets.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Separate hosts on one machine for a test: a Linux network namespace per host, made here with
 * iproute2 and deleted by {@link #close()}. The first host is the hub: it holds a bridge, and every
 * other host is joined to it by a veth pair, its end named {@value #LINK}; all hosts share the
 * private subnet {@value #SUBNET}0/24 (the hub .1, the others .2, .3...). A host's link can be
 * taken down and up again from the test, as a pulled cable would.
 *
 * <p>Only namespaces made here are touched: their names start with {@value #PREFIX} and the test
 * JVM's pid, and the veth pairs are created inside them, so the machine's own interfaces and routes
 * are never changed. Namespaces left by a run that crashed (their pid no longer alive) are deleted
 * before new ones are made.
 *
 * <p>Where the machine refuses (not root, or a kernel without network namespaces, veth or bridges)
 * {@link #create} aborts the test as skipped, saying why; without {@code ip} at all it fails as
 * root, since {@code .ci/run} installs iproute2.
 */
final class NetworkNamespaces implements AutoCloseable {
    /** The start of every namespace name made here. */
    static final String PREFIX = "asnt-";
    /** The first three octets of every host's address. */
    static final String SUBNET = "10.213.0.";
    /** A host's end of its veth pair, in its namespace. */
    static final String LINK = "eth0";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-\\S+");
    /** {@code ip}: from the PATH, or where Debian puts it when the PATH lacks the sbin folders. */
    private static final String IP = ipCommand();

    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    private NetworkNamespaces() {
    }

    /**
     * Makes the hosts: {@code hub} with the bridge, then {@code others}, each joined to it, links up.
     * Skips the test (a JUnit assumption) where the machine refuses network namespaces.
     */
    static NetworkNamespaces create(String hub, String... others) throws IOException, InterruptedException {
        for (String host : others) {
            // The hub's end of the host's veth pair is "v-HOST", and Linux allows 15 characters.
            if (!host.matches("[a-z0-9]{1,13}")) {
                throw new IllegalArgumentException("host name '" + host + "': expected 1 to 13 of a-z and 0-9");
            }
        }
        requireIp();
        removeStale();
        NetworkNamespaces hosts = new NetworkNamespaces();
        String run = PREFIX + ProcessHandle.current().pid() + "-";
        try {
            List<String> all = new ArrayList<>(List.of(hub));
            all.addAll(List.of(others));
            for (int i = 0; i < all.size(); i++) {
                String ns = run + all.get(i);
                Result added = ip("netns", "add", ns);
                if (added.status() != 0) {
                    Assumptions.abort("cross-host tests skipped: 'ip netns add " + ns + "' was refused (" + added.err()
                            + "); they need root and a kernel with network namespaces");
                }
                hosts.namespaces.put(all.get(i), ns);
                hosts.addresses.put(all.get(i), SUBNET + (i + 1));
                setUp(ns, "link", "set", "lo", "up");
            }
            String hubNs = hosts.namespaces.get(hub);
            setUp(hubNs, "link", "add", "br0", "type", "bridge");
            for (String host : others) {
                String ns = hosts.namespaces.get(host);
                String hubEnd = "v-" + host;
                setUp(hubNs, "link", "add", hubEnd, "type", "veth", "peer", "name", LINK, "netns", ns);
                setUp(hubNs, "link", "set", hubEnd, "master", "br0");
                setUp(hubNs, "link", "set", hubEnd, "up");
                setUp(ns, "addr", "add", hosts.address(host) + "/24", "dev", LINK);
                setUp(ns, "link", "set", LINK, "up");
            }
            setUp(hubNs, "addr", "add", hosts.address(hub) + "/24", "dev", "br0");
            setUp(hubNs, "link", "set", "br0", "up");
            return hosts;
        } catch (RuntimeException | IOException | InterruptedException | Error e) {
            hosts.close();
            throw e;
        }
    }

    /** The host's IPv4 address. */
    String address(String host) {
        return require(addresses, host);
    }

    /** The command prefix that runs a program on the host: {@code ip netns exec NS}. */
    List<String> exec(String host) {
        return List.of(IP, "netns", "exec", require(namespaces, host));
    }

    /** Takes the host's link down: its packets go nowhere, and nothing reaches it, until {@link #linkUp}. */
    void linkDown(String host) throws IOException, InterruptedException {
        check(require(namespaces, host), "link", "set", LINK, "down");
    }

    /** Brings the host's link up again (its address and route come back with it). */
    void linkUp(String host) throws IOException, InterruptedException {
        check(require(namespaces, host), "link", "set", LINK, "up");
    }

    /** Deletes the namespaces, and with them their veth pairs and the bridge. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<String> failed = new ArrayList<>();
        for (String ns : namespaces.values()) {
            Result r = ip("netns", "del", ns);
            if (r.status() != 0) {
                failed.add(ns + " (" + r.err() + ")");
            }
        }
        namespaces.clear();
        if (!failed.isEmpty()) {
            throw new IOException("could not delete network namespaces " + failed + ": delete them with 'ip netns del'");
        }
    }

    /** Namespaces of ours whose test JVM is gone: a run that crashed before its {@link #close()}. */
    private static void removeStale() throws IOException, InterruptedException {
        Result list = ip("netns", "list");
        for (String line : list.out().split("\n")) {
            Matcher m = OURS.matcher(line.trim());
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                ip("netns", "del", m.group().trim());
            }
        }
    }

    private static void requireIp() throws IOException {
        try {
            ip("-V");
        } catch (IOException noIp) {
            if (!isRoot()) {
                Assumptions.abort("cross-host tests skipped: not root, and 'ip' (iproute2) is not installed");
            }
            throw new IOException("'ip' (iproute2) is needed by the cross-host tests: apt-get install iproute2 (.ci/run does)", noIp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running 'ip -V'", e);
        }
    }

    private static String ipCommand() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ip"))) {
                return Path.of(dir, "ip").toString();
            }
        }
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "ip"; // not found: running it fails, and requireIp says what to install
    }

    private static boolean isRoot() throws IOException {
        // /proc/self belongs to the process's effective user.
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** A setup step: skipped where the kernel lacks the feature, a failure otherwise. */
    private static void setUp(String ns, String... args) throws IOException, InterruptedException {
        Result r = ipIn(ns, args);
        if (r.status() != 0) {
            String command = "ip -n " + ns + " " + String.join(" ", args);
            if (r.err().contains("not supported") || r.err().contains("not permitted") || r.err().contains("Unknown device type")) {
                Assumptions.abort("cross-host tests skipped: the kernel refused '" + command + "' (" + r.err() + ")");
            }
            throw new IOException("'" + command + "' failed (status " + r.status() + "): " + r.err());
        }
    }

    private static void check(String ns, String... args) throws IOException, InterruptedException {
        Result r = ipIn(ns, args);
        if (r.status() != 0) {
            throw new IOException("'ip -n " + ns + " " + String.join(" ", args) + "' failed (status " + r.status() + "): " + r.err());
        }
    }

    private static Result ipIn(String ns, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-n", ns));
        all.addAll(List.of(args));
        return ip(all.toArray(String[]::new));
    }

    private static Result ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(IP));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // ip's output is a few lines: read both streams to the end, then reap it.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("'" + String.join(" ", command) + "' did not finish within 10 s");
        }
        return new Result(p.exitValue(), out, err);
    }

    private static String require(Map<String, String> map, String host) {
        String v = map.get(host);
        if (v == null) {
            throw new IllegalArgumentException("no host '" + host + "' here: the hosts are " + map.keySet());
        }
        return v;
    }

    /** What one {@code ip} command did. */
    private record Result(int status, String out, String err) {
    }
}
