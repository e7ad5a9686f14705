package io.audiosockets.loadtest;

/**
 * What {@code bench --watch} received over a case's measured interval: a dashboard open on the
 * mailman's WebSocket, reading every message, and {@code /metrics} scraped every second.
 *
 * @param dashboardMessages WebSocket messages received, all kinds
 * @param statusMessages of which the whole status (one a second)
 * @param audioMessages of which levels and spectrogram columns (one every 100 ms)
 * @param dashboardKilobytes characters received on the WebSocket, in thousands (the messages are ASCII JSON: bytes)
 * @param scrapes {@code /metrics} requests answered 200
 * @param scrapeFailures {@code /metrics} requests that failed or were not answered 200
 * @param metricsKilobytes the size of the last {@code /metrics} answer, kB (10^3 bytes)
 * @param scrapeP50Ms median time of a scrape, request to the whole answer, ms
 * @param scrapeMaxMs longest scrape, ms
 * @param dashboardOpenThroughout the WebSocket stayed open over the whole interval
 */
public record WatchResult(long dashboardMessages, long statusMessages, long audioMessages, double dashboardKilobytes, long scrapes,
                          long scrapeFailures, double metricsKilobytes, double scrapeP50Ms, double scrapeMaxMs,
                          boolean dashboardOpenThroughout) {

    /** One line for the report. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "dashboard %,d messages (%,d status, %,d audio), %s kB%s; /metrics %,d scrapes "
                        + "(%d failed) of %s kB, p50 %s ms, max %s ms", dashboardMessages, statusMessages, audioMessages,
                Fmt.num(dashboardKilobytes, 1), dashboardOpenThroughout ? "" : " (CLOSED EARLY)", scrapes, scrapeFailures,
                Fmt.num(metricsKilobytes, 1), Fmt.ms(scrapeP50Ms), Fmt.ms(scrapeMaxMs));
    }
}
