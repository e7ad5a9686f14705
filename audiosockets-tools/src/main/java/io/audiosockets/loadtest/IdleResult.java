package io.audiosockets.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * Memory per idle connected processor: {@code connections} processors connected and
 * registered, no audio flowing. Heap figures are after full collections (live objects only).
 *
 * @param connections idle processors connected
 * @param connectSeconds time from the first start to the last WELCOME
 * @param benchHeapPerConnectionBytes growth of this JVM's live heap per connection (the processors, and the
 *     mailman too when it is embedded)
 * @param benchRssPerConnectionBytes growth of this JVM's resident set per connection
 * @param benchRssMb this JVM's resident set with every connection up, MB
 * @param mailmanHeapPerConnectionBytes growth of the forked mailman's live heap per connection, or -1 if not forked
 * @param mailmanRssPerConnectionBytes growth of the forked mailman's resident set per connection, or -1
 * @param mailmanRssMb the forked mailman's resident set with every connection up, MB, or -1
 * @param mailmanInThisJvm true if the mailman is embedded, so the bench figures include its side of each connection
 */
public record IdleResult(int connections, double connectSeconds, long benchHeapPerConnectionBytes, long benchRssPerConnectionBytes,
                         double benchRssMb, long mailmanHeapPerConnectionBytes, long mailmanRssPerConnectionBytes,
                         double mailmanRssMb, boolean mailmanInThisJvm) implements CaseResult {

    @Override
    public String table() {
        return "idle: memory per idle connected processor";
    }

    @Override
    public List<String> header() {
        return List.of("where", "connections", "heap per connection KB", "RSS per connection KB", "RSS MB");
    }

    @Override
    public List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(mailmanInThisJvm ? "this JVM: processors + embedded mailman" : "this JVM: processors",
                Fmt.count(connections), kb(benchHeapPerConnectionBytes), kb(benchRssPerConnectionBytes), Fmt.num(benchRssMb, 0)));
        if (mailmanHeapPerConnectionBytes >= 0 || mailmanRssPerConnectionBytes >= 0) {
            rows.add(List.of("mailman JVM", Fmt.count(connections), kb(mailmanHeapPerConnectionBytes), kb(mailmanRssPerConnectionBytes),
                    Fmt.num(mailmanRssMb, 0)));
        }
        return rows;
    }

    private static String kb(long bytes) {
        return bytes < 0 ? "-" : Fmt.num(bytes / 1024.0, 1);
    }
}
