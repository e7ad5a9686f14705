package io.audiosockets.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The JVM's heap in use after garbage collection. In the campaign the mailman runs in the same
 * JVM as the fuzzing clients, the recorder and the processor, so this measures all of them
 * together; they are the same before and after the campaign, so a difference is the mailman's.
 */
final class HeapProbe {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /**
     * The least heap in use over {@code rounds} rounds of a full GC request and a reading: a GC
     * request is only a request, and objects in flight (a chunk being delivered) come and go, so
     * the minimum is the steady part.
     */
    static long usedAfterGc(int rounds) throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            System.gc();
            // Let reference processing and any concurrent phase finish: a pause between rounds, not a synchronisation.
            Thread.sleep(100);
            least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
