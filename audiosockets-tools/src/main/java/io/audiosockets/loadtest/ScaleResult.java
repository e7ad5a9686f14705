package io.audiosockets.loadtest;

import java.util.List;

/**
 * The scale workload's figures for one number of recorders and processors.
 *
 * @param recorders simulated recorders, each at real time
 * @param processors simulated processors
 * @param oneToOne true if processor i subscribes to stream i only; false if every processor subscribes to every stream
 * @param chunkSamples samples per chunk
 * @param seconds length of the measured interval
 * @param connectSeconds time to open every connection and read every WELCOME
 * @param chunksScheduled chunks the recorders' schedules made in the whole run (warm-up included)
 * @param chunksSent chunks written to the mailman (less than scheduled if windows stayed full to the end)
 * @param deliveriesExpected deliveries the chunks sent call for (one-to-one: one each; else one per processor)
 * @param deliveries AUDIO frames the processors received by the end of the grace period
 * @param lost {@code deliveriesExpected - deliveries}: 0 if all is well
 * @param gapNotices GAP frames received
 * @param gapChunks chunks those GAPs covered
 * @param silentSkips seqs missing without a GAP (must be 0)
 * @param duplicates chunks received again or out of order (must be 0)
 * @param windowStalls times a recorder had a chunk due and its ACK window full
 * @param lateChunks chunks written more than one chunk duration after they were due
 * @param latency from each chunk's due time (end of its capture interval on the schedule) to its
 *     arrival at the processor, chunks due in the measured interval (coordinated omission accounted)
 * @param sendLag how late the generator wrote each chunk against its due time: the generator's own share of {@code latency}
 * @param generatorCores CPU of the generator's two loop threads over the interval, in cores
 * @param bench this JVM over the interval (the loops, the JIT, the GC, the controlling thread)
 * @param benchCpuWaitCores how long this JVM's threads waited, runnable, for a CPU over the interval, in cores
 *     (other work on the machine; -1 if unknown)
 * @param mailman the forked mailman over the interval, or null if it is not a child of this tool
 * @param mailmanCpuWaitCores the same wait for the forked mailman's threads, in cores (-1 if unknown): above a few
 *     hundredths, the machine, not the mailman, set the pace
 * @param mailmanGc the forked mailman's GC pauses over the interval ({@code count} -1 if unknown)
 * @param mailmanMicrosPerDelivery the mailman's CPU over the interval per delivery received in it, us (-1 if unknown)
 */
public record ScaleResult(int recorders, int processors, boolean oneToOne, int chunkSamples, double seconds, double connectSeconds,
                          long chunksScheduled, long chunksSent, long deliveriesExpected, long deliveries, long lost, long gapNotices,
                          long gapChunks, long silentSkips, long duplicates, long windowStalls, long lateChunks, Percentiles latency,
                          Percentiles sendLag, double generatorCores, Usage bench, double benchCpuWaitCores, Usage mailman,
                          double mailmanCpuWaitCores, GcPauses mailmanGc,
                          double mailmanMicrosPerDelivery) implements CaseResult {

    @Override
    public String table() {
        return "scale: R raw-protocol recorders at real time, P processors, from two threads; ms from each chunk's due time "
                + "(coordinated omission accounted)";
    }

    @Override
    public List<String> header() {
        return List.of("R", "P", "delivered", "lost", "gaps", "p50", "p90", "p99", "p99.9", "max", "late", "gen cores", "mailman cores",
                "mailman RSS MB", "GC pauses (max ms)", "us/delivery", "mailman CPU wait");
    }

    @Override
    public List<List<String>> rows() {
        return List.of(List.of(Integer.toString(recorders), processors + (oneToOne ? " (1:1)" : ""), Fmt.count(deliveries),
                Fmt.count(lost), Fmt.count(gapChunks), Fmt.ms(latency.p50Ms()), Fmt.ms(latency.p90Ms()), Fmt.ms(latency.p99Ms()),
                Fmt.ms(latency.p999Ms()), Fmt.ms(latency.maxMs()), Fmt.count(lateChunks), Fmt.num(generatorCores, 2),
                mailman == null ? "-" : Fmt.num(mailman.cores(), 2), mailman == null ? "-" : Fmt.num(mailman.rssMb(), 0),
                mailmanGc.count() < 0 ? "-" : mailmanGc.count() + " (" + Fmt.num(mailmanGc.maxMs(), 1) + ")",
                Fmt.num(mailmanMicrosPerDelivery, 1), Fmt.num(mailmanCpuWaitCores, 2)));
    }
}
