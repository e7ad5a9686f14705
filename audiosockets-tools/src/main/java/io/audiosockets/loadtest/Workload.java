package io.audiosockets.loadtest;

import java.util.Locale;

/** The workloads of {@code audiosockets bench}. */
public enum Workload {
    /** One recorder as fast as flow control allows, P processors; beside the raw relay. */
    FANOUT("one recorder as fast as the mailman accepts, to P processors; with the raw relay for reference"),
    /** R recorders at real time, P processors: latency percentiles. */
    LATENCY("R recorders at real time, P processors: latency from the schedule"),
    /** R raw-protocol recorders at real time and P processors from two threads: the mailman's cost at scale. */
    SCALE("R raw-protocol recorders at real time, P processors, from two threads: the mailman's latency, CPU, RSS and GC at scale"),
    /** A normal processor with and without a 10x-slower one. */
    SLOW("a normal processor and the recorder, without and then with a 10x slower processor"),
    /** Two processors, one reset mid-run. */
    CRASH("two processors, one cut off abruptly mid-run: what the other and the recorder see"),
    /** The raw relay alone: throughput and latency. */
    BASELINE("the raw length-prefixed TCP relay alone: throughput, and latency at real-time pace"),
    /** Through Kafka beside direct: latency at real time with and without the bridge, fan-out to consumer groups. */
    KAFKA("through Kafka beside the direct mailman: latency at real time with and without the bridge, fan-out to consumer groups"),
    /** Memory per idle connected processor. */
    IDLE("memory per idle connected processor (1,000 by default)");

    private final String description;

    Workload(String description) {
        this.description = description;
    }

    /** One line for help and reports. */
    public String description() {
        return description;
    }

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
